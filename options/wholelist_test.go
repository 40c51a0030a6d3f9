package options

import (
	"flag"
	"io"
	"slices"
	"testing"
)

// A `split:"no"` list (--variant) keeps each value whole, commas and all,
// from flags and from its variable; a JSON array in the variable still
// gives several items.
func TestWholeItemList(t *testing.T) {
	fs := flag.NewFlagSet("p", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	p := &Profile{}
	if err := Register(fs, p); err != nil {
		t.Fatal(err)
	}
	if err := fs.Parse([]string{"--variant", "fast: concurrency=8, isl=128", "--sweep-variant", "concurrency=1,isl=64"}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"fast: concurrency=8, isl=128", "concurrency=1,isl=64"}; !slices.Equal(p.Variant, want) {
		t.Errorf("flags: %q, want %q", p.Variant, want)
	}
	for raw, want := range map[string][]string{
		"a: concurrency=2, isl=8":                      {"a: concurrency=2, isl=8"},
		`["concurrency=1, isl=8", "b: concurrency=2"]`: {"concurrency=1, isl=8", "b: concurrency=2"},
	} {
		t.Setenv("AIPERF_VARIANT", raw)
		q := &Profile{}
		if err := LoadEnv(q); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(q.Variant, want) {
			t.Errorf("AIPERF_VARIANT=%s: %q, want %q", raw, q.Variant, want)
		}
	}
}
