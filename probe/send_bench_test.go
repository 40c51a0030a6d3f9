package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// audioTurn is a chat turn carrying audioBytes of base64 audio, built the way
// inputs does it: the encoded clip is one shared segment of the body.
func audioTurn(audioBytes int) *inputs.Turn {
	b64 := bytes.Repeat([]byte("QUJD"), audioBytes/4)
	head := []byte(`{"model":"mock-model","messages":[{"role":"user","content":[{"type":"text","text":"Transcribe this."},{"type":"input_audio","input_audio":{"format":"wav","data":"`)
	tail := []byte(`"}}]}],"stream":true,"max_tokens":64}`)
	return &inputs.Turn{Body: inputs.Body{head, b64, tail}, ContentType: inputs.ContentTypeJSON, Model: "mock-model"}
}

// prepareBefore is how a request was prepared before newPost: two contexts,
// the URL parsed per request and headers canonicalised per request. It is the
// "before" of BenchmarkRequestPrepare.
func prepareBefore(ctx context.Context, e *engine, turn *inputs.Turn, rec *record.Record) (*http.Request, func()) {
	target := e.nextTarget()
	rec.RequestID = newRequestID()
	ctx, cancel := context.WithCancelCause(ctx)
	ctx, cancelTimeout := context.WithTimeout(ctx, e.cfg.Timeout)
	phases := &record.HTTPPhases{}
	start := time.Now()
	since := func() time.Duration { return time.Since(start) }
	trace := &httptrace.ClientTrace{
		GotConn:              func(i httptrace.GotConnInfo) { phases.ConnReused = i.Reused },
		DNSDone:              func(httptrace.DNSDoneInfo) { phases.DNS = since() },
		ConnectDone:          func(string, string, error) { phases.Connect = since() },
		TLSHandshakeDone:     func(tls.ConnectionState, error) { phases.TLS = since() },
		GotFirstResponseByte: func() { phases.FirstByte = since() },
		WroteRequest:         func(httptrace.WroteRequestInfo) { phases.RequestWritten = since() },
	}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, target.URL, turn.Body.Reader())
	req.ContentLength = int64(turn.Body.Len())
	for k, v := range e.cfg.Header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", turn.ContentType)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("User-Agent", userAgent())
	req.Header.Set("X-Request-ID", rec.RequestID)
	req.Header.Set("X-Correlation-ID", rec.CorrelationID)
	return req, func() { cancelTimeout(); cancel(nil) }
}

// BenchmarkRequestPrepare measures everything probe does per request before
// the network: request ID, deadline, trace, request and headers, for a body
// carrying 256 KiB of base64 audio. One op = one request.
func BenchmarkRequestPrepare(b *testing.B) {
	turn := audioTurn(256 << 10)
	e := &engine{cfg: Config{
		Targets:   []Target{{Name: "t", URL: "http://127.0.0.1:8000/v1/chat/completions"}},
		Streaming: true, Timeout: time.Minute,
		Header: http.Header{"Authorization": {"Bearer x"}},
	}}
	w := newWorker(0)
	ctx := context.Background()
	b.Run("before=parse+2ctx", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			req, done := prepareBefore(ctx, e, turn, &record.Record{})
			if req.ContentLength != int64(turn.Body.Len()) {
				b.Fatal("wrong length")
			}
			done()
		}
	})
	b.Run("after=prepare", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			rec := &record.Record{}
			c := &call{cancelAfter: -1}
			req, err := e.prepare(ctx, w, turn, rec, c)
			if err != nil || req.ContentLength != int64(turn.Body.Len()) {
				b.Fatal(err)
			}
			c.finish(rec)
		}
	})
}

// BenchmarkRequestBodyMarshal is the reference that shows why bodies are
// spliced: re-encoding and re-marshalling the same 256 KiB of audio per
// request, as a naive client would.
func BenchmarkRequestBodyMarshal(b *testing.B) {
	raw := bytes.Repeat([]byte("ABC"), (256<<10)/4)
	type audio struct {
		Format string `json:"format"`
		Data   string `json:"data"`
	}
	b.ReportAllocs()
	for b.Loop() {
		body, err := json.Marshal(map[string]any{"model": "mock-model", "stream": true,
			"messages": []any{map[string]any{"role": "user", "content": []any{
				map[string]any{"type": "input_audio", "input_audio": audio{"wav", base64.StdEncoding.EncodeToString(raw)}}}}}})
		if err != nil || len(body) < 256<<10 {
			b.Fatal(err)
		}
	}
}

// BenchmarkSmallBodyRoundTrip is the before/after of bodyReader on a small
// chat body of three segments, over loopback: net/http flushes the headers in a
// write of their own unless it knows the body is in memory. One op = one
// request and response.
func BenchmarkSmallBodyRoundTrip(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, `{"choices":[{"message":{"content":"ok"}}]}`)
	}))
	defer srv.Close()
	body := inputs.Body{[]byte(`{"model":"m","messages":[{"role":"user","content":"`), []byte("Say a few words."), []byte(`"}]}`)}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	for _, impl := range []struct {
		name   string
		reader func(inputs.Body) io.Reader
	}{{"before=segment-reader", inputs.Body.Reader}, {"after=bodyReader", bodyReader}} {
		b.Run(impl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req, _ := http.NewRequest(http.MethodPost, srv.URL, impl.reader(body))
				req.ContentLength = int64(body.Len())
				resp, err := client.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		})
	}
}
