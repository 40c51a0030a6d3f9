package profile

import (
	"bytes"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
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
		{"at the bound", lag(LagWarnMs, 0), ""},
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
