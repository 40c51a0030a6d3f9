package profile

import (
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// longRecord is a valid streamed request of n responses, 20 ms apart, with
// HTTP phases and a server usage, as a long real one.
func longRecord(i, n int) *record.Record {
	r := &record.Record{RequestID: "req-" + strconv.Itoa(i), Phase: record.PhaseProfiling, Streaming: true,
		StartNs: 1_760_000_000_000_000_000 + int64(i)*1e6, InputTokens: 550, OutputTokens: n, ReasoningTokens: -1,
		TokenSource: "tokenizer", HTTPStatus: 200, Usage: &record.Usage{PromptTokens: 550, CompletionTokens: n},
		HTTPPhases: &record.HTTPPhases{RequestWritten: time.Millisecond, FirstByte: 30 * time.Millisecond, ConnReused: true}}
	r.Responses = make([]record.Response, n)
	for k := range r.Responses {
		r.Responses[k] = record.Response{Offset: time.Duration(50+20*k) * time.Millisecond, Kind: record.Content}
	}
	r.EndOffset = r.Responses[n-1].Offset
	return r
}

// What a run keeps of each finished request stays under 200 bytes whatever
// the response's length: 20,000 requests of 1,000 responses each (the records
// themselves would take over 16 KB each).
func TestRecorderMemoryPerRequest(t *testing.T) {
	const requests, responses, budget = 20_000, 1_000, 200
	rec, err := newRecorder(t.TempDir(), ExportSummary, report.DefaultNames(), metrics.AggregateOptions{ScratchDir: t.TempDir()}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.acc.Close()
	rec.add(longRecord(-1, responses)) // maps and first blocks
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	for i := 0; i < requests; i++ {
		rec.add(longRecord(i, responses))
	}
	after := heap()
	per := (float64(after) - float64(before)) / requests
	t.Logf("%.0f B kept per request", per)
	if per > budget {
		t.Errorf("%.0f B kept per request of %d responses, want at most %d", per, responses, budget)
	}
	res, err := rec.acc.Result()
	if err != nil || res.Valid != requests+1 || res.Metrics[metrics.ICL].Stats.Count != (requests+1)*(responses-1) {
		t.Errorf("result: %d valid, %d inter-chunk latencies, %v", res.Valid, res.Metrics[metrics.ICL].Stats.Count, err)
	}
	runtime.KeepAlive(rec)
}

// BenchmarkRecorderAdd is what handing one finished 200-response request to
// the JSONL file, the accumulator and the slices costs: its metrics are
// derived once for all three.
func BenchmarkRecorderAdd(b *testing.B) {
	dir := b.TempDir()
	rec, err := newRecorder(dir, ExportRecords, report.DefaultNames(), metrics.AggregateOptions{ScratchDir: dir}, false)
	if err != nil {
		b.Fatal(err)
	}
	rec.slices = metrics.NewSlices(int64(time.Second), metrics.AggregateOptions{ScratchDir: dir})
	defer rec.abort()
	records := make([]*record.Record, 64)
	for i := range records {
		records[i] = longRecord(i, 200)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec.add(records[i%len(records)])
	}
}
