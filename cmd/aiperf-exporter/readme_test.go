package main

import (
	"flag"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// The README's flag tables must name every flag of profile and serve with its
// AIPERF_* variable, so the README stays true as flags are added.
func TestReadmeListsEveryFlag(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("all", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	for _, p := range []any{&options.Options{}, &options.Profile{}, &options.Serve{}} {
		if err := options.Register(fs, p); err != nil {
			t.Fatal(err)
		}
	}
	fs.VisitAll(func(f *flag.Flag) {
		if strings.HasPrefix(f.Usage, "alias of --") {
			return
		}
		row := "| `--" + f.Name + "`"
		if !strings.Contains(string(readme), row) || !strings.Contains(string(readme), "`"+options.EnvName(f.Name)+"`") {
			t.Errorf("README.md has no flag table row for --%s (%s)", f.Name, options.EnvName(f.Name))
		}
	})
}
