package probe

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/httpclient"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// benchChunks is the number of token chunks in one benchmark stream.
const benchChunks = 256

// benchStream returns an SSE body shaped like the mock's (and vLLM's): a role
// chunk, n token chunks, a finish chunk, a usage chunk and [DONE].
func benchStream(n int) []byte {
	return chatStream(n, func(i int) string { return `{"content":" word` + strconv.Itoa(i%100) + `"}` })
}

// toolCallStream is benchStream with each token chunk a tool call's
// arguments delta, as vLLM streams a tool call.
func toolCallStream(n int) []byte {
	return chatStream(n, func(i int) string {
		return `{"tool_calls":[{"index":0,"function":{"arguments":" word` + strconv.Itoa(i%100) + `"}}]}`
	})
}

// chatStream is benchStream's body with delta(i) as the i-th token chunk's delta.
func chatStream(n int, delta func(int) string) []byte {
	var b bytes.Buffer
	head := `data: {"id":"chatcmpl-3f2a9c","object":"chat.completion.chunk","created":1764000000,"model":"mock-model","choices":[{"index":0,"delta":`
	tail := `,"logprobs":null,"finish_reason":null}]}` + "\n\n"
	b.WriteString(head + `{"role":"assistant","content":""}` + tail)
	for i := 0; i < n; i++ {
		b.WriteString(head + delta(i) + tail)
	}
	b.WriteString(head + `{},"logprobs":null,"finish_reason":"stop"}]}` + "\n\n")
	b.WriteString(`data: {"id":"chatcmpl-3f2a9c","object":"chat.completion.chunk","created":1764000000,"model":"mock-model","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":` + strconv.Itoa(n) + `,"total_tokens":` + strconv.Itoa(n+10) + `}}` + "\n\n")
	b.WriteString("data: [DONE]\n\n")
	return b.Bytes()
}

// readRecord is the SSE reader plus the record path of send, on one body.
func readRecord(w *worker, r *bytes.Reader, body []byte, rec *record.Record) error {
	r.Reset(body)
	w.st.reset(time.Now())
	w.br.Reset(r)
	err := w.st.read(w.br)
	rec.Responses = append(rec.Responses[:0], w.st.responses...)
	rec.SkippedEvents = w.st.skipped
	rec.Usage = parseUsage(w.st.usage)
	return err
}

// longShortAllocs grows w's buffers on body, then returns the allocations of
// reading body and of reading one (a one-chunk stream): their difference is
// what the extra chunks cost. It ends having read one.
func longShortAllocs(w *worker, r *bytes.Reader, body, one []byte, rec *record.Record, runs int) (long, short float64) {
	for range 3 {
		_ = readRecord(w, r, body, rec)
	}
	long = testing.AllocsPerRun(runs, func() { _ = readRecord(w, r, body, rec) })
	short = testing.AllocsPerRun(runs, func() { _ = readRecord(w, r, one, rec) })
	return long, short
}

// BenchmarkStreamChunk measures the SSE reader and record path per streamed
// chunk (one op = one chunk). allocs/chunk isolates the per-chunk allocations
// from the per-request ones (usage decoding): it is the difference between a
// long and a one-chunk stream, divided by the extra chunks.
func BenchmarkStreamChunk(b *testing.B) {
	rec := runStreamBench(b, newWorker(0), benchStream(benchChunks), benchStream(1))
	if len(rec.Responses) != benchChunks {
		b.Fatalf("%d responses, want %d", len(rec.Responses), benchChunks)
	}
}

// BenchmarkStreamChunkToolCalls is BenchmarkStreamChunk on tool-call
// argument deltas: the tool_calls walk adds no allocation.
func BenchmarkStreamChunkToolCalls(b *testing.B) {
	rec := runStreamBench(b, newWorker(0), toolCallStream(benchChunks), toolCallStream(1))
	if len(rec.Responses) != benchChunks {
		b.Fatalf("%d responses, want %d", len(rec.Responses), benchChunks)
	}
}

// runStreamBench reads body (benchChunks chunks) through w once per
// benchChunks ops, reports allocs/chunk against one (a one-chunk stream) and
// returns the last record read.
func runStreamBench(b *testing.B, w *worker, body, one []byte) *record.Record {
	rec := &record.Record{}
	r := bytes.NewReader(body)
	long, short := longShortAllocs(w, r, body, one, rec, 50)
	b.ReportAllocs()
	b.SetBytes(int64(len(body) / benchChunks))
	b.ResetTimer()
	for i := 0; i < b.N; i += benchChunks {
		if err := readRecord(w, r, body, rec); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((long-short)/float64(benchChunks-1), "allocs/chunk")
	return rec
}

// BenchmarkStreamChunkKernel is BenchmarkStreamChunk with the connection's
// kernel stamp taken for every event (stamps.go): still no allocation.
func BenchmarkStreamChunkKernel(b *testing.B) {
	body := benchStream(benchChunks)
	w := newWorker(0)
	rec := &record.Record{}
	r := bytes.NewReader(body)
	arrival := &httpclient.Arrival{}
	read := func() error {
		r.Reset(body)
		start := time.Now()
		arrival.Stamp(time.Now().UnixNano(), time.Now())
		w.st.reset(start)
		w.st.arrival = arrival
		w.br.Reset(r)
		err := w.st.read(w.br)
		rec.Responses = append(rec.Responses[:0], w.st.responses...)
		return err
	}
	for range 3 { // grow the reusable buffers
		_ = read()
	}
	if allocs := testing.AllocsPerRun(50, func() { _ = read() }); allocs > 0 {
		b.Fatalf("%g allocations a stream of %d chunks, want none", allocs, benchChunks)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += benchChunks {
		if err := read(); err != nil {
			b.Fatal(err)
		}
	}
	if len(rec.Responses) != benchChunks || w.st.stampSource() != record.StampKernel {
		b.Fatalf("%d responses stamped by %q, want %d by the kernel", len(rec.Responses), w.st.stampSource(), benchChunks)
	}
}

// BenchmarkStreamChunkBare is the reference the reader is held to: a bufio
// line read, time.Now() and a byte scan for the content field per line, on the
// same body, one op = one chunk.
func BenchmarkStreamChunkBare(b *testing.B) {
	body := benchStream(benchChunks)
	br := bufio.NewReaderSize(nil, 16<<10)
	r := bytes.NewReader(body)
	key := []byte(`"content"`)
	var found int
	var last time.Time
	b.ReportAllocs()
	b.SetBytes(int64(len(body) / benchChunks))
	b.ResetTimer()
	for i := 0; i < b.N; i += benchChunks {
		r.Reset(body)
		br.Reset(r)
		for {
			line, err := br.ReadSlice('\n')
			if len(line) > 1 {
				last = time.Now()
				if bytes.Index(line, key) >= 0 {
					found++
				}
			}
			if err != nil {
				break
			}
		}
	}
	if found == 0 || last.IsZero() {
		b.Fatal("bare loop found nothing")
	}
}

// BenchmarkStreamChunkVsBare alternates the reader + record path and the bare
// loop stream by stream on the same body, so load from other processes falls
// on both alike, and reports each one's ns/chunk and their ratio.
func BenchmarkStreamChunkVsBare(b *testing.B) {
	body := benchStream(benchChunks)
	w := newWorker(0)
	rec := &record.Record{}
	r := bytes.NewReader(body)
	br := bufio.NewReaderSize(nil, 16<<10)
	key := []byte(`"content"`)
	var ours, bare time.Duration
	var found int
	for b.Loop() {
		t0 := time.Now()
		if err := readRecord(w, r, body, rec); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		r.Reset(body)
		br.Reset(r)
		for {
			line, err := br.ReadSlice('\n')
			if len(line) > 1 {
				_ = time.Now()
				if bytes.Index(line, key) >= 0 {
					found++
				}
			}
			if err != nil {
				break
			}
		}
		bare += time.Since(t1)
		ours += t1.Sub(t0)
	}
	if found == 0 {
		b.Fatal("bare loop found nothing")
	}
	chunks := float64(b.N) * benchChunks
	b.ReportMetric(float64(ours)/chunks, "ours-ns/chunk")
	b.ReportMetric(float64(bare)/chunks, "bare-ns/chunk")
	b.ReportMetric(float64(ours)/float64(bare), "ratio")
}

// outputIDsStream is an SGLang generate stream of n token events as
// --stream-output sends them (each event its new text and ids, meta_info the
// count so far), then [DONE].
func outputIDsStream(n int) []byte {
	var b bytes.Buffer
	for i := 1; i <= n; i++ {
		b.WriteString(`data: {"text":" word` + strconv.Itoa(i%100) + `","output_ids":[` + strconv.Itoa(1000+i) +
			`],"meta_info":{"id":"3f2a9c","finish_reason":null,"prompt_tokens":10,"completion_tokens":` + strconv.Itoa(i) + `},"index":0}` + "\n\n")
	}
	b.WriteString("data: [DONE]\n\n")
	return b.Bytes()
}

// BenchmarkStreamChunkOutputIDs is BenchmarkStreamChunk on SGLang's generate
// stream (sglang_generate): one op = one event; allocs/chunk as there.
func BenchmarkStreamChunkOutputIDs(b *testing.B) {
	w := newWorker(0)
	w.st.tokenIDs = true
	rec := runStreamBench(b, w, outputIDsStream(benchChunks), outputIDsStream(1))
	if len(rec.Responses) != benchChunks || w.st.outputIDs != benchChunks {
		b.Fatalf("%d responses, %d output ids; want %d of each", len(rec.Responses), w.st.outputIDs, benchChunks)
	}
}

// embeddingsBody is an embeddings reply of about size bytes: one vector of
// float strings, as an OpenAI-compatible server writes it.
func embeddingsBody(size int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"object":"list","data":[{"object":"embedding","index":0,"embedding":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("-0.0" + strconv.Itoa(1234567+i))
	}
	b.WriteString(`]}],"model":"m","usage":{"prompt_tokens":3,"total_tokens":3}}`)
	return b.Bytes()
}

// BenchmarkWholeBody measures a non-streamed 32 KB embeddings body: whole is
// the full reading after the final stamp, valid its JSON check alone (most of it).
func BenchmarkWholeBody(b *testing.B) {
	body := embeddingsBody(32 << 10)
	s := &stream{}
	b.Run("whole", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for range b.N {
			s.reset(time.Now())
			s.results = `"data"`
			s.whole(body, time.Second)
			if len(s.responses) != 1 {
				b.Fatalf("%d responses", len(s.responses))
			}
		}
	})
	b.Run("valid", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for range b.N {
			if !json.Valid(body) {
				b.Fatal("not JSON")
			}
		}
	})
}
