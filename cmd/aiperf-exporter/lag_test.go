package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

func TestWarnScheduleLag(t *testing.T) {
	lag := func(p99 float64) *metrics.Result {
		return &metrics.Result{Metrics: map[string]metrics.Metric{
			metrics.ScheduleLag: {Stats: metrics.Summary{Count: 10, P99: p99, Max: p99 + 1}}}}
	}
	for _, tc := range []struct {
		name string
		res  *metrics.Result
		warn bool
	}{
		{"no lag metric", &metrics.Result{}, false},
		{"near zero", lag(0.3), false},
		{"at the bound", lag(lagWarnMs), false},
		{"above the bound", lag(250), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			warnScheduleLag(&b, tc.res)
			if got := strings.Contains(b.String(), "fell behind its schedule"); got != tc.warn {
				t.Errorf("warned %v, want %v: %q", got, tc.warn, b.String())
			}
		})
	}
}

// Against the mock: a server too slow for the asked rate through a concurrency
// cap makes the lag grow and the warning print; with a fast one it stays near
// zero (median; the tail is left loose, as the test machine is shared).
func TestScheduleLagAgainstMock(t *testing.T) {
	for _, tc := range []struct {
		name           string
		ttft           string
		minP99, maxP50 float64
		maxP99         float64
	}{
		// 2 slots of ~150 ms hold ~13 req/s; 40 req/s is asked.
		{"slow mock", "150", 100, 1e9, 1e9},
		{"fast mock", "1", 0, 5, 50},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut, dir := profileInDir(t, "--mock", "--mock.ttft", tc.ttft, "--mock.itl", "0",
				"--mock.output-tokens", "2", "--model", "m", "--streaming", "--request-rate", "40",
				"--arrival-pattern", "constant", "--concurrency", "2", "--request-count", "20", "--random-seed", "1")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			export := readJSON(t, filepath.Join(dir, report.JSONFile))
			p50, p99 := stat(t, export, metrics.ScheduleLag, "p50"), stat(t, export, metrics.ScheduleLag, "p99")
			if p99 < tc.minP99 || p99 > tc.maxP99 || p50 > tc.maxP50 {
				t.Errorf("schedule lag p50 %.2f p99 %.2f ms, want p99 in [%g, %g], p50 <= %g", p50, p99, tc.minP99, tc.maxP99, tc.maxP50)
			}
			if warned := strings.Contains(out, "fell behind its schedule"); warned != (p99 > lagWarnMs) {
				t.Errorf("warning printed %v with lag p99 %.2f ms (bound %g ms)", warned, p99, lagWarnMs)
			}
		})
	}
}
