package daemon

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/collector"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// The landing page's totals and the collector's counters count the same records
// the same way: one definition of "does this record count" (record.Counted) and
// one of output tokens (reasoning excluded, as AIPerf's output_token_count).
func TestLandingTotalsMatchCollector(t *testing.T) {
	reasoning := func(id string, phase record.Phase, late bool) *record.Record {
		return &record.Record{RequestID: id, Scenario: "s", Model: "m", Target: "t", Phase: phase,
			LateForDuration: late, Streaming: true, StartNs: 1_760_000_000_000_000_000, InputTokens: 10,
			OutputTokens: 5, ReasoningTokens: 3, HTTPStatus: 200, EndOffset: 30 * time.Millisecond,
			Responses: []record.Response{{Offset: 10 * time.Millisecond, Kind: record.Reasoning},
				{Offset: 20 * time.Millisecond, Kind: record.Content}}}
	}
	failed := &record.Record{RequestID: "e", Scenario: "s", Model: "m", Target: "t", InputTokens: 10,
		HTTPStatus: 500, Error: &record.Error{Code: 500, Message: "boom"}, EndOffset: time.Millisecond}
	records := []*record.Record{
		reasoning("ok", record.PhaseProfiling, false),
		reasoning("warm", record.PhaseWarmup, false),
		reasoning("late", record.PhaseProfiling, true),
		failed,
	}

	reg := prometheus.NewRegistry()
	c, err := collector.New(reg, []collector.Scenario{{Name: "s", Models: []string{"m"}, Targets: []string{"t"}}})
	if err != nil {
		t.Fatal(err)
	}
	d := &Daemon{Collector: c, History: NewHistory(10), Logger: zap.NewNop()}
	for _, r := range records {
		d.sink(r)
	}

	got := d.History.Totals("s")
	counter := counters(t, reg)
	checks := []struct {
		name           string
		landing, scrap float64
		want           float64
	}{
		{"requests", float64(got.Probes), counter["aiperf_requests_total"], 2},
		{"errors", float64(got.Failed()), counter["aiperf_request_errors_total"], 1},
		{"input tokens", float64(got.InputTokens), counter["aiperf_input_tokens_total"], 20},
		{"output tokens", float64(got.OutputTokens), counter["aiperf_output_tokens_total"], 5},
	}
	for _, c := range checks {
		if c.landing != c.want || c.scrap != c.want {
			t.Errorf("%s: landing page %v, collector %v, want %v for both", c.name, c.landing, c.scrap, c.want)
		}
	}
	if res := d.History.Recent("s"); len(res) != len(records) || res[len(res)-1].OutputTokens != 5 {
		t.Errorf("recent probes %+v: want all %d shown, the first with 5 output tokens", res, len(records))
	}
}

// counters sums each counter family of reg over its series.
func counters(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			if m.GetCounter() != nil {
				out[mf.GetName()] += m.GetCounter().GetValue()
			}
		}
	}
	return out
}
