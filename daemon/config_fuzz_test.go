package daemon

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// FuzzParseScenarios feeds arbitrary documents to the scenario file parser
// (seeded with daemon/testdata and the shapes of TestLoadScenariosErrors) and
// checks it never panics, that an error is one line naming the file, and that
// accepted scenarios have unique non-empty names, validate, and leave the base
// options untouched.
func FuzzParseScenarios(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seed files in testdata: %v", err)
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"", "scenarios: {}\n", "scenario:\n  - name: a\n", "scenarios:\n  - name: [\n", "---\n", "# only a comment\n",
		"scenarios:\n  - name: a\n    concurrency: [1, 2]\n", "scenarios:\n  - name: a\n  - name: a\n",
		"scenarios:\n  - name: a\n    isl: 3\n    synthetic-input-tokens-mean: 4\n",
		"scenarios:\n  - name: a\n    request-rate: 2\n    probe.interval: 5\n",
		"scenarios:\n  - name: a\n    header: {a: b}\n    extra-inputs: ['{\"x\": 1}']\n",
		"scenarios:\n  - &x {name: a}\n  - *x\n", "scenarios: [[]]\n", "[]\n", "scenarios:\n  - name: ~\n",
	} {
		f.Add([]byte(s))
	}
	var base options.Options
	testkit.ParseFlags(f, []string{"--model", "m", "--header", "X-Base: 1"}, &base)
	f.Fuzz(func(t *testing.T, doc []byte) {
		o := base
		o.Models, o.Headers = []string{"m"}, []string{"X-Base: 1"}
		before := o
		before.Models, before.Headers = slicesClone(o.Models), slicesClone(o.Headers)
		got, err := parseScenarios(strings.NewReader(string(doc)), "s.yaml", &o, 0)
		if !reflect.DeepEqual(o, before) {
			t.Fatalf("base options changed:\n%+v\n%+v", before, o)
		}
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "s.yaml") {
				t.Fatalf("error is not one line naming the file: %q", msg)
			}
			return
		}
		if len(got) == 0 {
			t.Fatal("no error and no scenarios")
		}
		seen := map[string]bool{}
		for _, sc := range got {
			if strings.TrimSpace(sc.Name) == "" || seen[sc.Name] {
				t.Fatalf("scenario name %q empty or repeated", sc.Name)
			}
			seen[sc.Name] = true
			if err := sc.validate(); err != nil {
				t.Fatalf("accepted scenario %q does not validate: %v", sc.Name, err)
			}
		}
	})
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }
