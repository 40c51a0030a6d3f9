package probe

import (
	"strings"
	"testing"
)

// A target Skip reports is left out of the round robin; when every target is
// skipped, turns go on in order.
func TestNextTargetSkips(t *testing.T) {
	targets := []Target{{Name: "a"}, {Name: "b"}, {Name: "c"}}
	for _, c := range []struct {
		name    string
		skipped string
		want    string
	}{
		{"none skipped", "", "abcabc"},
		{"one skipped", "b", "acacac"},
		{"all but one", "ab", "cccccc"},
		{"all skipped", "abc", "abcabc"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := &engine{cfg: Config{Targets: targets}}
			if c.skipped != "" {
				e.cfg.Skip = func(name string) bool { return strings.Contains(c.skipped, name) }
			}
			var got strings.Builder
			for range 6 {
				got.WriteString(e.nextTarget().Name)
			}
			if got.String() != c.want {
				t.Errorf("turns %q, want %q", got.String(), c.want)
			}
		})
	}
}
