package metrics

import (
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// The adjusted latencies are the raw ones less the RTT, each statistic (AIPerf
// shifts the aggregates, clamped at 0) but
// the std; ITL is left alone (the RTT cancels in it); the raw metrics stay.
func TestNetworkAdjust(t *testing.T) {
	var records []*record.Record
	for i, ms := range []int{10, 20, 30} {
		records = append(records, &record.Record{RequestID: string(rune('a' + i)), Phase: record.PhaseProfiling, Streaming: true,
			StartNs: 1e9, EndOffset: time.Duration(ms) * 2 * time.Millisecond, InputTokens: 1, OutputTokens: 2,
			Responses: record.Responses{{Offset: time.Duration(ms) * time.Millisecond, Kind: record.Content},
				{Offset: time.Duration(ms) * 2 * time.Millisecond, Kind: record.Content}}})
	}
	res := Aggregate(records, AggregateOptions{})
	raw := res.Metrics[TTFT]
	if clamped := NetworkAdjust(res, 15); !clamped {
		t.Error("a 10 ms TTFT less a 15 ms RTT was not reported clamped")
	}
	adj := res.Metrics[NetAdjustedTTFT]
	if adj.Stats.Avg != raw.Stats.Avg-15 || adj.Stats.Min != 0 || adj.Stats.Max != 15 || adj.Stats.Std != raw.Stats.Std {
		t.Errorf("adjusted TTFT %+v from raw %+v", adj.Stats, raw.Stats)
	}
	if got := res.Metrics[TTFT]; got != raw {
		t.Errorf("raw TTFT changed: %+v", got.Stats)
	}
	if lat := res.Metrics[NetAdjustedRequestLatency]; lat.Stats.Avg != 40-15 || lat.Stats.P50 != 25 {
		t.Errorf("adjusted request latency %+v", lat.Stats)
	}
	if rtt := res.Metrics[NetworkRTT]; rtt.Value != 15 || !rtt.Has(AggregateMetric) {
		t.Errorf("network_rtt %+v", rtt)
	}
	if _, ok := res.Metrics["network_adjusted_inter_token_latency"]; ok {
		t.Error("ITL adjusted")
	}
}
