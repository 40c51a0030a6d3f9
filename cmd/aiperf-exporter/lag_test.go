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
	lag := func(p99, slotWaitP99 float64) *metrics.Result {
		return &metrics.Result{Metrics: map[string]metrics.Metric{
			metrics.ScheduleLag: {Stats: metrics.Summary{Count: 10, P99: p99, Max: p99 + 1}},
			metrics.SlotWait:    {Stats: metrics.Summary{Count: 10, P99: slotWaitP99, Max: slotWaitP99 + 1}}}}
	}
	const client, server = "fell behind its schedule", "waited for a free --concurrency slot"
	for _, tc := range []struct {
		name string
		res  *metrics.Result
		want string // "" for no warning
	}{
		{"no lag metric", &metrics.Result{}, ""},
		{"near zero", lag(0.3, 0), ""},
		{"at the bound", lag(lagWarnMs, 0), ""},
		{"above the bound, client", lag(250, 0), client},
		{"above the bound, mostly slot wait", lag(250, 240), server},
		{"above the bound, some slot wait", lag(250, 20), client},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			warnScheduleLag(&b, tc.res)
			out := b.String()
			if (tc.want == "" && out != "") || !strings.Contains(out, tc.want) || strings.Count(out, "\n") > 1 {
				t.Errorf("warning %q, want one line with %q", out, tc.want)
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
		slow           bool
	}{
		// 2 slots of ~150 ms hold ~13 req/s; 40 req/s is asked.
		{"slow mock", "150", 100, 1e9, 1e9, true},
		{"fast mock", "1", 0, 5, 50, false},
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
			// The slow mock's lag is slot wait, and the warning blames the
			// server's pace; the fast mock's requests never wait for a slot
			// (a lag there, on a loaded machine, is the client's).
			slotWarn := strings.Contains(out, "waited for a free --concurrency slot")
			clientWarn := strings.Contains(out, "fell behind its schedule")
			if tc.slow {
				if sw := stat(t, export, metrics.SlotWait, "p99"); sw < p99/2 || !slotWarn || clientWarn {
					t.Errorf("slot wait p99 %.2f ms of a lag p99 %.2f ms, slot-wait warning %v, client warning %v: want the slot wait to make the lag",
						sw, p99, slotWarn, clientWarn)
				}
			} else if slotWarn || clientWarn != (p99 > lagWarnMs) {
				t.Errorf("slot-wait warning %v, client warning %v with lag p99 %.2f ms (bound %g ms)", slotWarn, clientWarn, p99, lagWarnMs)
			}
		})
	}
}
