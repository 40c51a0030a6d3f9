package testkit

import (
	"flag"
	"io"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// ParseFlags registers the option structs ptrs on one flag set, with their real
// defaults, and parses args into them; an unknown flag or a bad value fails the
// test.
func ParseFlags(t testing.TB, args []string, ptrs ...any) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	for _, p := range ptrs {
		if err := options.Register(fs, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
}
