package otel

import (
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// BenchmarkStreamAdd is the cost of one finished streamed request (64
// chunks) on the recorder's goroutine, off the request path; Sent, on it,
// is one atomic add.
func BenchmarkStreamAdd(b *testing.B) {
	s := New(Config{URL: "http://127.0.0.1:1/v1/metrics", Metrics: true, Timing: true}, RunInfo{EndpointType: "chat", Model: "m"})
	r := &record.Record{Phase: record.PhaseProfiling, Streaming: true, StartNs: time.Now().UnixNano(), InputTokens: 100, OutputTokens: 64, ReasoningTokens: -1}
	for i := range 64 {
		r.Responses = append(r.Responses, record.Response{Offset: time.Duration(100+i*10) * time.Millisecond, Kind: record.Content})
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Add(r)
	}
}

func BenchmarkStreamSent(b *testing.B) {
	s := New(Config{URL: "http://127.0.0.1:1/v1/metrics", Metrics: true, Timing: true}, RunInfo{EndpointType: "chat", Model: "m"})
	r := &record.Record{Phase: record.PhaseProfiling}
	b.ReportAllocs()
	for b.Loop() {
		s.Sent(r)
	}
}
