package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/report"
)

func TestParseTier(t *testing.T) {
	for _, c := range []struct {
		in, label string
		n         int
		err       string
	}{
		{"gold:time_to_first_token:p95:lt:200,request_latency:p99:lt:900", "gold", 2, ""},
		{"time_to_first_token:p95:lt:500", "tier_3", 1, ""}, // 3 colons before the first comma: no label
		{"time_to_first_token:p95:lt:500, request_latency:p99:le:2000", "tier_3", 2, ""},
		{"", "", 0, "must not be empty"},
		{":time_to_first_token:p95:lt:200", "", 0, "label before ':' must not be empty"},
		{"gold:", "", 0, "has no filter"},
		{"gold", "", 0, "has no filter"},
		{"gold:time_to_first_token:p95:below:200", "", 0, `tier gold: "time_to_first_token:p95:below:200": unknown op`},
	} {
		tier, err := ParseTier(c.in, 2)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || tier.Label != c.label || len(tier.SLA) != c.n {
			t.Errorf("%q: %+v %v, want %s with %d filters", c.in, tier, err, c.label, c.n)
		}
	}
}

// Three tiers over a load whose TTFT p95 is 10 ms per request in flight:
// each tier's boundary is found from the probes all tiers share.
func TestMultiTierSearch(t *testing.T) {
	base := t.TempDir()
	run := func(ctx context.Context, r Run) error {
		if err := os.MkdirAll(r.Dir, 0o755); err != nil {
			return err
		}
		b, _ := json.Marshal(map[string]any{"time_to_first_token": map[string]any{"unit": "ms", "p95": 10 * r.Combo[0]}})
		return os.WriteFile(filepath.Join(r.Dir, report.JSONFile), b, 0o644)
	}
	tiers := []Tier{
		{"gold", []SLAFilter{{Metric: "time_to_first_token", Stat: "p95", Op: "lt", Threshold: 75}}},
		{"silver", []SLAFilter{{Metric: "time_to_first_token", Stat: "p95", Op: "lt", Threshold: 200}}},
		{"bronze", []SLAFilter{{Metric: "time_to_first_token", Stat: "p95", Op: "le", Threshold: 5000}}},
	}
	m := NewMultiTier(Dim{Path: "phases.profiling.concurrency", Param: Param{Name: "concurrency", Whole: true}, Lo: 1, Hi: 100, Int: true}, 40, tiers, nil)
	p := Plan{Base: base, Params: []Param{{Name: "concurrency", Whole: true}}, Trials: 1, MultiTier: m}
	var out bytes.Buffer
	if err := Execute(context.Background(), p, run, &out); err != nil {
		t.Fatal(err)
	}
	want := map[string][2]int{"gold": {7, 8}, "silver": {19, 20}}
	for _, tb := range m.Tiers[:2] {
		w := want[tb.Label]
		if tb.FeasibleMax > w[0] || float64(tb.FeasibleMax) < 0.95*float64(w[0]) || tb.InfeasibleMin < w[1] || tb.Reason != "precision_reached" {
			t.Errorf("%s: %+v, want the boundary between %d and %d", tb.Label, tb, w[0], w[1])
		}
	}
	if b := m.Tiers[2]; b.FeasibleMax != 100 || b.Reason != "no_failure_in_range" {
		t.Errorf("bronze: %+v", b)
	}
	if m.Reason != "multi_tier_all_converged" || len(m.Tiers[0].SLA) != 1 {
		t.Errorf("stopped: %q", m.Reason)
	}
	h := readHistory(t, base)
	res, bs := h.TierResults, h.BoundarySummary
	if len(res) != 3 || res[0].Label != "gold" || bs == nil || bs.FeasibleMax == nil || bs.FeasibleMax.Value != 100 {
		t.Errorf("history %+v", h)
	}
	if len(h.Iterations) == 0 {
		t.Fatal("history without iterations")
	}
	first := h.Iterations[0]
	if first.concurrency(t) != 1 || !first.TierVerdicts["gold"] {
		t.Errorf("first iteration %+v", first)
	}
	if !strings.Contains(out.String(), "gold: highest concurrency meeting its SLAs") {
		t.Errorf("output:\n%s", out.String())
	}
}

// A tier breaking its SLAs at the lowest load settles at once; a global
// SLA (--search-sla) binds every tier.
func TestMultiTierEdges(t *testing.T) {
	tiers := []Tier{{"a", []SLAFilter{{Metric: "x", Stat: "avg", Op: "lt", Threshold: 1}}}, {"b", []SLAFilter{{Metric: "x", Stat: "avg", Op: "lt", Threshold: 50}}}}
	m := NewMultiTier(Dim{Lo: 4, Hi: 64, Int: true}, 20, tiers, []SLAFilter{{Metric: "y", Stat: "avg", Op: "lt", Threshold: 10}})
	for {
		v, ok := m.Next()
		if !ok {
			break
		}
		m.Tell(v, map[string]Stat{"x_avg": {Mean: float64(v)}, "y_avg": {Mean: float64(v) / 4}})
	}
	if m.Tiers[0].Reason != "no_pass_in_range" || m.Tiers[0].FeasibleMax != 0 {
		t.Errorf("a: %+v", m.Tiers[0])
	}
	if m.Tiers[1].FeasibleMax > 39 || m.Tiers[1].FeasibleMax < 37 || m.Tiers[1].Breach.Metric != "y" {
		t.Errorf("b, bound by y < 10 (load under 40): %+v %+v", m.Tiers[1], m.Tiers[1].Breach)
	}
}
