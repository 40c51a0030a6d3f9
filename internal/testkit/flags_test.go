package testkit

import (
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// Flags land in the structs they belong to, and unset ones keep their defaults.
func TestParseFlags(t *testing.T) {
	var o options.Options
	var s options.Serve
	ParseFlags(t, []string{"--model", "m", "--concurrency", "3"}, &o, &s)
	if len(o.Models) != 1 || o.Models[0] != "m" || o.Concurrency != 3 || o.ArrivalPattern != "poisson" {
		t.Errorf("options %v %d %q", o.Models, o.Concurrency, o.ArrivalPattern)
	}
}
