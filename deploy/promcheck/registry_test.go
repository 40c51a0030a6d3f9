package promcheck

import (
	"path/filepath"
	"slices"
	"sort"
	"testing"
)

// The written contract (docs/design.md) must list exactly the metrics the
// collector exposes, with the same types and labels, so the doc stays true.
func TestDesignDocMatchesCollector(t *testing.T) {
	doc, err := LoadContract(filepath.Join("..", "..", "docs", "design.md"))
	if err != nil {
		t.Fatal(err)
	}
	real, err := ExporterCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for name, d := range doc {
		r, ok := real[name]
		if !ok {
			t.Errorf("%s is in docs/design.md but the collector does not expose it", name)
			continue
		}
		if d.Type != r.Type {
			t.Errorf("%s: doc says %s, collector exposes %s", name, d.Type, r.Type)
		}
		if name == buildInfo {
			continue
		}
		if dl, rl := labelNames(d), labelNames(r); !slices.Equal(dl, rl) {
			t.Errorf("%s: doc labels %v, collector labels %v", name, dl, rl)
		}
	}
	for name := range real {
		if _, ok := doc[name]; !ok && isOurs(name) {
			t.Errorf("%s is exposed but missing from docs/design.md", name)
		}
	}
}

func isOurs(name string) bool { return len(name) > 6 && name[:6] == "aiperf" }

func labelNames(m Metric) []string {
	var out []string
	for l := range m.Labels {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}
