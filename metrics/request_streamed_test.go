package metrics

import (
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Streaming metrics exist per record, as AIPerf's streamed_request gates them:
// a record whose reply did not stream (a plain JSON answer to a streaming
// request, say) has none, even with several responses; every consumer reads
// them from ForRecord, so the report and the collector agree.
func TestStreamingMetricsOnlyForStreamedRecords(t *testing.T) {
	for _, streamed := range []bool{true, false} {
		r := record.Record{Streaming: true, WholeReply: !streamed, InputTokens: 5, OutputTokens: 3, Responses: []record.Response{
			{Offset: 10 * time.Millisecond, Kind: record.Content},
			{Offset: 20 * time.Millisecond, Kind: record.Content},
			{Offset: 40 * time.Millisecond, Kind: record.Content},
		}}
		m := ForRecord(&r)
		for _, tag := range []string{TTFT, TTST, TTFO, ITL, OutputTPSPerUser} {
			if _, ok := m.Get(tag); ok != streamed {
				t.Errorf("streamed %v: %s present %v", streamed, tag, ok)
			}
		}
		if (m.ICL != nil) != streamed {
			t.Errorf("streamed %v: inter-chunk latencies %v", streamed, m.ICL)
		}
		if v, ok := m.Get(RequestLatency); !ok || v != 40 {
			t.Errorf("streamed %v: request latency %v (%v), want 40 ms", streamed, v, ok)
		}
	}
}
