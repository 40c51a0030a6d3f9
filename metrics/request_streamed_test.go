package metrics

import (
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Streaming metrics exist per record, as AIPerf's streamed_request gates them:
// a record whose reply did not stream (a plain JSON answer to a streaming
// request, or a request not asked to stream) has none, even with several
// responses; every consumer reads them from ForRecord, so the report and the
// collector agree.
func TestStreamingMetricsOnlyForStreamedRecords(t *testing.T) {
	for _, tc := range []struct {
		name                   string
		asked, whole, streamed bool
	}{
		{"streamed", true, false, true},
		{"asked to stream, answered whole", true, true, false},
		{"not asked to stream", false, false, false},
	} {
		streamed := tc.streamed
		r := record.Record{Streaming: tc.asked, WholeReply: tc.whole, InputTokens: 5, OutputTokens: 3, Responses: []record.Response{
			{Offset: 10 * time.Millisecond, Kind: record.Content},
			{Offset: 20 * time.Millisecond, Kind: record.Content},
			{Offset: 40 * time.Millisecond, Kind: record.Content},
		}}
		m := ForRecord(&r)
		for _, tag := range []string{TTFT, TTST, TTFO, ITL, OutputTPSPerUser} {
			if _, ok := m.Get(tag); ok != streamed {
				t.Errorf("%s: %s present %v", tc.name, tag, ok)
			}
		}
		if (m.ICL != nil) != streamed {
			t.Errorf("%s: inter-chunk latencies %v", tc.name, m.ICL)
		}
		if v, ok := m.Get(RequestLatency); !ok || v != 40 {
			t.Errorf("%s: request latency %v (%v), want 40 ms", tc.name, v, ok)
		}
	}
}
