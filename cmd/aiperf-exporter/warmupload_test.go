package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// rawPhaseLoad reads the raw export of dir (each line a whole record) and
// returns each phase's count and most requests in flight.
func rawPhaseLoad(t *testing.T, dir string) testkit.PhaseLoad {
	t.Helper()
	return testkit.PhaseLoadOf(testkit.ReadJSONLines[*record.Record](t, filepath.Join(dir, report.RawJSONLFile)))
}

// --num-warmup-sessions: one-turn conversations, so as many warmup requests.
func TestProfileNumWarmupSessions(t *testing.T) {
	_, dir := profileOK(t, "--mock", "--model", "m", "--streaming", "--request-count", "2",
		"--num-warmup-sessions", "3", "--mock.output-tokens", "2", "--export-level", "raw")
	if got := rawPhaseLoad(t, dir); got.Warmup != 3 || got.Profiling != 2 {
		t.Errorf("%d warmup and %d profiling requests, want 3 and 2", got.Warmup, got.Profiling)
	}
}

// The warmup runs at --warmup-concurrency, the profiling phase at the run's
// --concurrency; input_config names the warmup's settings as AIPerf does.
func TestProfileWarmupConcurrency(t *testing.T) {
	_, dir := profileOK(t, "--mock", "--model", "m", "--streaming", "--concurrency", "1", "--request-count", "3",
		"--warmup-request-count", "8", "--warmup-concurrency", "4", "--warmup-grace-period", "inf", "--mock.ttft", "300",
		"--mock.output-tokens", "2", "--export-level", "raw")
	want := testkit.PhaseLoad{Warmup: 8, WarmupInFlight: 4, Profiling: 3, ProfilingInFlight: 1}
	if got := rawPhaseLoad(t, dir); got != want {
		t.Errorf("phase load %+v, want %+v (--warmup-concurrency 4, --concurrency 1)", got, want)
	}
	if got := inputConfigAt(t, dir, "loadgen")["warmup_concurrency"]; got != 4.0 {
		t.Errorf("input_config.loadgen.warmup_concurrency = %v, want 4", got)
	}
}

// Bad warmup settings exit 2 naming the flag.
func TestProfileWarmupLoadBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"--warmup-concurrency", "-1"},
		{"--warmup-request-rate", "-2"},
		{"--warmup-arrival-pattern", "bursty"},
		{"--warmup-grace-period", "-1"},
		{"--warmup-concurrency-ramp-duration", "-1"},
		{"--warmup-request-rate-ramp-duration", "inf"},
	} {
		code, _, errOut, _ := profileInDir(t, append([]string{"--mock", "--request-count", "1", "--warmup-request-count", "1"}, args...)...)
		if code != 2 || !strings.Contains(errOut, args[0]) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line naming the flag", args, code, errOut)
		}
	}
}
