package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// rawPhases reads the raw export of dir (each line a whole record), split
// into warmup and profiling records.
func rawPhases(t *testing.T, dir string) (warmup, profiling []*record.Record) {
	t.Helper()
	var recs []*record.Record
	for _, line := range strings.Split(strings.TrimSpace(string(testkit.ReadFile(t, filepath.Join(dir, report.RawJSONLFile)))), "\n") {
		r := &record.Record{}
		if err := json.Unmarshal([]byte(line), r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	return testkit.ByPhase(recs)
}

// --num-warmup-sessions: one-turn conversations, so as many warmup requests.
func TestProfileNumWarmupSessions(t *testing.T) {
	_, dir := profileOK(t, "--mock", "--model", "m", "--streaming", "--request-count", "2",
		"--num-warmup-sessions", "3", "--mock.output-tokens", "2", "--export-level", "raw")
	if warmup, profiling := rawPhases(t, dir); len(warmup) != 3 || len(profiling) != 2 {
		t.Errorf("%d warmup and %d profiling requests, want 3 and 2", len(warmup), len(profiling))
	}
}

// The warmup runs at --warmup-concurrency, the profiling phase at the run's
// --concurrency; input_config names the warmup's settings as AIPerf does.
func TestProfileWarmupConcurrency(t *testing.T) {
	_, dir := profileOK(t, "--mock", "--model", "m", "--streaming", "--concurrency", "1", "--request-count", "3",
		"--warmup-request-count", "8", "--warmup-concurrency", "4", "--warmup-grace-period", "inf", "--mock.ttft", "300",
		"--mock.output-tokens", "2", "--export-level", "raw")
	warmup, profiling := rawPhases(t, dir)
	if len(warmup) != 8 || len(profiling) != 3 {
		t.Fatalf("%d warmup and %d profiling records, want 8 and 3", len(warmup), len(profiling))
	}
	if got := testkit.MostInFlight(warmup); got != 4 {
		t.Errorf("the warmup ran %d requests at once, want 4", got)
	}
	if got := testkit.MostInFlight(profiling); got != 1 {
		t.Errorf("profiling ran %d requests at once, want 1", got)
	}
	loadgen := readJSON(t, filepath.Join(dir, report.JSONFile))["input_config"].(map[string]any)["loadgen"].(map[string]any)
	if loadgen["warmup_concurrency"] != 4.0 {
		t.Errorf("input_config.loadgen.warmup_concurrency = %v, want 4", loadgen["warmup_concurrency"])
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
