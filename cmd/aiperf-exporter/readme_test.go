package main

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// The README's flag tables must name every flag of profile and serve with its
// AIPERF_* variable, so the README stays true as flags are added.
func TestReadmeListsEveryFlag(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	// profile and serve each have a --scenario of their own: one flag set each.
	for _, command := range [][]any{{&options.Options{}, &options.Profile{}}, {&options.Options{}, &options.Serve{}}} {
		readmeListsEveryFlag(t, string(readme), command)
	}
}

func readmeListsEveryFlag(t *testing.T, readme string, command []any) {
	testkit.ParseFlags(t, nil, command...) // a name registered twice, or a bad default, fails here
	for _, p := range command {
		for _, name := range options.FlagNames(p) { // aliases share their flag's row
			row := "| `--" + name + "`"
			if !strings.Contains(readme, row) || !strings.Contains(readme, "`"+options.EnvName(name)+"`") {
				t.Errorf("README.md has no flag table row for --%s (%s)", name, options.EnvName(name))
			}
		}
	}
}

// The README's --endpoint-type row says what --help says: both come from the
// endpoint table, so a type added there shows up in the README too.
func TestReadmeEndpointTypesAsHelp(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	if err := options.Register(fs, &options.Options{}); err != nil {
		t.Fatal(err)
	}
	usage := fs.Lookup("endpoint-type").Usage
	if !strings.Contains(string(readme), "| `chat` | "+usage+" |") {
		t.Errorf("README.md's --endpoint-type row is not --help's text; want its description:\n%s", usage)
	}
}
