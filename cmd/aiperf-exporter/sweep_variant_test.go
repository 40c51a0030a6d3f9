package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/sweep"
)

// Each --variant is one run in a directory of its name (v1 when unnamed),
// with its flags over the command line's; the summary names the variants.
func TestProfileVariants(t *testing.T) {
	_, base := profileOK(t, append(quickMock, "--variant", "fast: concurrency=2, isl=16", "--sweep-variant", "output_tokens_mean='4'")...)
	if ic := inputConfig(t, filepath.Join(base, "fast")); ic.Loadgen.Concurrency != 2 || ic.Input.Prompt.InputTokens.Mean != 16 {
		t.Errorf("fast ran with %+v", ic)
	}
	if ic := inputConfig(t, filepath.Join(base, "v1")); ic.Loadgen.Concurrency != 1 || ic.Input.Prompt.OutputTokens.Mean != 4 {
		t.Errorf("v1 ran with %+v", ic)
	}
	var names []any
	for _, c := range testkit.ReadJSON[sweepSummary](t, filepath.Join(base, "sweep_aggregate", sweep.SweepJSONFile)).PerCombination {
		names = append(names, c.Parameters["variant"])
	}
	if len(names) != 2 || names[0] != "fast" || names[1] != "v1" {
		t.Errorf("summary variants %v", names)
	}
	if _, err := os.Stat(filepath.Join(base, "sweep_aggregate", "plots")); err == nil {
		t.Error("variants got a capacity curve; they are no load")
	}
}

func TestProfileVariantBadSettings(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--variant", "concurrency=2"}, `--variant (AIPERF_VARIANT): given once`},
		{[]string{"--variant", "concurrency=2", "--variant", "concurrency"}, `"concurrency" is missing '='`},
		{[]string{"--variant", "a: concurrency=2", "--variant", "a: concurrency=4"}, `two variants are named "a"`},
		{[]string{"--variant", "concurrency=2, concurrency=3", "--variant", "isl=8"}, `duplicate key "concurrency"`},
		{[]string{"--variant", "concurency=2", "--variant", "isl=8"}, `v0: unknown key "concurency"`},
		{[]string{"--variant", "concurrency=two", "--variant", "isl=8"}, `v0: --concurrency two: "two" is not a whole number`},
		{[]string{"--variant", "num-profile-runs=2", "--variant", "isl=8"}, `--num-profile-runs is no setting of one run`},
		{[]string{"--variant", "../x: isl=8", "--variant", "isl=16"}, `cannot name a directory`},
		{[]string{"--variant", "concurrency=2", "--variant", "isl=8", "--concurrency", "1,2"}, `not with a list (--concurrency)`},
		{[]string{"--variant", "concurrency=2", "--variant", "isl=8", "--search-recipe", "concurrency-ramp"}, `not with --search-recipe`},
	} {
		code, _, stderr, base := profileInDir(t, append(quickMock, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q, want 2 and %q", c.args, code, stderr, c.want)
		}
		if entries, _ := os.ReadDir(base); len(entries) > 0 {
			t.Errorf("%q: wrote %d entries before failing", c.args, len(entries))
		}
	}
}
