package mockserver

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkStreamLateness reports how late chunks are written against their
// schedule (arrival + TTFT + i·ITL), from the server's own truth stamps.
func BenchmarkStreamLateness(b *testing.B) {
	const ttft, itl, n = 20 * time.Millisecond, 20 * time.Millisecond, 20
	r, err := Start(b.Context(), "", Config{TTFT: ttft, ITL: itl}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	t := &testing.T{}
	var late []time.Duration
	for i := 0; b.Loop(); i++ {
		post(t, r.URL+"/v1/chat/completions", "bench", chatBody("a b c", true, map[string]any{"max_tokens": n}))
		tr, _ := r.Server.Truth("bench")
		for j, ns := range tr.ChunkNs {
			late = append(late, time.Duration(ns-tr.ArrivalNs)-ttft-time.Duration(j)*itl)
		}
	}
	if len(late) == 0 {
		return
	}
	slices.Sort(late)
	b.ReportMetric(float64(late[len(late)/2].Microseconds()), "p50-late-µs")
	b.ReportMetric(float64(late[len(late)*99/100].Microseconds()), "p99-late-µs")
	b.ReportMetric(float64(late[len(late)-1].Microseconds()), "max-late-µs")
}
