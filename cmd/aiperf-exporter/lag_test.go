package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	prof "github.com/aiperf-exporter/aiperf-exporter/profile"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

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
			} else if slotWarn || clientWarn != (p99 > prof.LagWarnMs) {
				t.Errorf("slot-wait warning %v, client warning %v with lag p99 %.2f ms (bound %g ms)", slotWarn, clientWarn, p99, prof.LagWarnMs)
			}
		})
	}
}
