package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

const t0 = int64(1_760_000_000_000_000_000) // 2025-10-09T08:53:20Z

// streamRec is a valid streaming record: one content response per offset (ms).
func streamRec(id string, worker int, startNs int64, isl, osl int, offsetsMs ...float64) *record.Record {
	r := &record.Record{RequestID: id, CorrelationID: "corr-" + id, ConversationID: "conv-" + id,
		WorkerID: worker, Phase: record.PhaseProfiling, Model: "Qwen/Qwen2.5-Omni-3B", Streaming: true,
		IntendedStartNs: startNs - 250_000, StartNs: startNs, AckOffset: 20 * time.Millisecond,
		InputTokens: isl, AudioSeconds: 5, AudioBytes: 160044, OutputTokens: osl, ReasoningTokens: -1,
		TokenSource: "words", HTTPStatus: 200,
		HTTPPhases: &record.HTTPPhases{Connect: 300 * time.Microsecond, RequestWritten: time.Millisecond, FirstByte: 20 * time.Millisecond}}
	for _, ms := range offsetsMs {
		r.Responses = append(r.Responses, record.Response{
			Offset: time.Duration(math.Round(ms * 1e6)), Kind: record.Content})
	}
	r.EndOffset = r.Responses[len(r.Responses)-1].Offset + 2*time.Millisecond
	return r
}

func errRec(id string, startNs int64, code int, typ, msg string) *record.Record {
	return &record.Record{RequestID: id, Phase: record.PhaseProfiling, Model: "Qwen/Qwen2.5-Omni-3B",
		Streaming: true, StartNs: startNs, InputTokens: 550, OutputTokens: -1, ReasoningTokens: -1,
		EndOffset: 12 * time.Millisecond, HTTPStatus: code, TokenSource: "words",
		Error: &record.Error{Code: code, Type: typ, Message: msg}}
}

// threeRequests are a 3-request AIPerf run: TTFT {85.26, 85.99, 135.83} ms.
func threeRequests() []*record.Record {
	return []*record.Record{
		streamRec("a", 0, t0, 550, 3, 85.26, 105.26, 125.26),
		streamRec("b", 1, t0+10_000_000, 550, 3, 85.99, 106.99, 127.99),
		streamRec("c", 2, t0+20_000_000, 550, 3, 135.83, 155.83, 175.83),
	}
}

// withErrors adds failures, a warmup record and a 200-without-content record.
func withErrors() []*record.Record {
	recs := threeRequests()
	warm := streamRec("w", 0, t0-1e9, 550, 3, 10, 20, 30)
	warm.Phase = record.PhaseWarmup
	cancelled := errRec("x", t0+5, 499, "RequestCancellationError", "Request was cancelled after 0.500 seconds")
	cancelled.Cancelled, cancelled.CancelOffset = true, 500*time.Millisecond
	empty := &record.Record{RequestID: "q", Phase: record.PhaseProfiling, Streaming: true, StartNs: t0 + 6,
		InputTokens: 550, OutputTokens: 0, ReasoningTokens: -1, HTTPStatus: 200, EndOffset: 30 * time.Millisecond}
	return append(recs, warm, cancelled, empty,
		errRec("e1", t0+1, 500, "Internal Server Error", `{"error":{"message":"decoder failed","type":"InternalError"}}`),
		errRec("e2", t0+2, 500, "Internal Server Error", `{"error":{"message":"decoder failed","type":"InternalError"}}`),
		errRec("e3", t0+3, 0, "ClientConnectorError", "Cannot connect to host 127.0.0.1:9 ssl:default [Connection refused]"),
	)
}

func testInfo() RunInfo {
	return RunInfo{
		CLICommand:  "aiperf profile --model 'Qwen/Qwen2.5-Omni-3B' --endpoint-type 'chat' --audio-length-mean 5.0 --audio-format wav --audio-sample-rates 16 --streaming --url localhost:8000 --request-count 3 --concurrency 4",
		ArtifactDir: "/nonexistent/artifacts/Qwen_Qwen2.5-Omni-3B-openai-chat-concurrency4",
		InputConfig: json.RawMessage(`{"endpoint":{"model_names":["Qwen/Qwen2.5-Omni-3B"],"type":"chat","streaming":true}}`),
		Start:       time.Unix(0, t0-1_000_000).UTC(),
		End:         time.Unix(0, t0+300_000_000).UTC(),
	}
}

func aggregate(recs []*record.Record) *metrics.Result {
	return metrics.Aggregate(recs, metrics.AggregateOptions{})
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden (go test ./report -update to accept):\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

// wantIn fails t for each of wants that out (the output named what) lacks.
func wantIn(t *testing.T, what, out string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(out, want) {
			t.Errorf("%s lacks %q:\n%s", what, want, out)
		}
	}
}

// written is what write writes, failing the test on its error.
func written(t *testing.T, write func(io.Writer) error) string {
	t.Helper()
	var b strings.Builder
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
