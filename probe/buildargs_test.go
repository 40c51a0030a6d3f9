package probe

import (
	"math/rand"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// BuildFromArgs parses args as profile does and builds their dataset. It is
// exported (in tests only) so the probe_test files share it with these.
func BuildFromArgs(t *testing.T, args ...string) (*options.Options, *inputs.Dataset) {
	t.Helper()
	var o options.Options
	testkit.ParseFlags(t, args, &o)
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	ds, err := inputs.Build(&o, tokens.Words{}, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	return &o, ds
}
