package probe

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/httpclient"
	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// Issue 18 point 4: on a reused connection our request write (start stamp →
// httptrace WroteRequest) took longer than the bare net/http client's.
// BenchmarkReusedConnWrite isolates each difference between the two paths: a
// ladder of clients, each adding one of ours' differences to the bare one,
// up to the engine's own send. Every op sends one request with each client in
// turn (paired, alternating: load on the machine falls on all alike), each over
// its own kept-alive loopback connection, and reports each client's median
// write as a metric. ns/op is the sum of all the clients' round trips.

// writeRung is one client of the ladder.
type writeRung struct {
	name    string
	client  *http.Client
	headers bool // ours' five headers instead of the bare client's two
	cancel  bool // a cancelable request context under a cancelable parent
	timer   bool // a timeout timer armed after the start stamp
	hooks   bool // ours' trace hooks (mutex, WroteHeaders, first byte)
}

// send sends one request and returns its start → WroteRequest (0: not seen).
func (r *writeRung) send(parent context.Context, url string, body []byte) (time.Duration, error) {
	ctx := context.Background()
	if r.cancel {
		var cancel context.CancelCauseFunc
		ctx, cancel = context.WithCancelCause(parent)
		defer cancel(nil)
	}
	var start time.Time
	var wrote atomic.Int64
	var mu sync.Mutex
	var phases record.HTTPPhases
	trace := &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(int64(time.Since(start))) }}
	if r.hooks {
		stamp := func(set func(*record.HTTPPhases)) { mu.Lock(); set(&phases); mu.Unlock() }
		trace.GotConn = func(i httptrace.GotConnInfo) { stamp(func(p *record.HTTPPhases) { p.ConnReused = i.Reused }) }
		trace.WroteHeaders = func() { d := time.Since(start); stamp(func(p *record.HTTPPhases) { p.DNS = d }) }
		trace.GotFirstResponseByte = func() { d := time.Since(start); stamp(func(p *record.HTTPPhases) { p.FirstByte = d }) }
		trace.WroteRequest = func(httptrace.WroteRequestInfo) {
			d := time.Since(start)
			mu.Lock()
			defer mu.Unlock()
			wrote.Store(int64(d))
		}
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-ID", newRequestID())
	if r.headers {
		req.Header["Accept"] = []string{"text/event-stream"}
		req.Header["User-Agent"] = []string{userAgent()}
		req.Header["X-Correlation-Id"] = []string{newRequestID()}
	}
	start = time.Now()
	if r.timer {
		t := time.AfterFunc(time.Minute, func() {})
		defer t.Stop()
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return time.Duration(wrote.Load()), nil
}

// writeLadder is the ladder against a loopback server: the clients' names and
// one(i), which sends one request with client i and returns its write (0:
// not on a reused connection). stop closes the server.
func writeLadder(b *testing.B) (names []string, one func(i int) (time.Duration, error), stop func()) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, `{"choices":[{"message":{"content":"ok"}}]}`)
	}))
	url := srv.URL + "/v1/chat/completions"
	ds := chatTurn()
	body := ds.Body.Bytes()
	plain := func() *http.Client {
		return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}
	}
	rungs := []*writeRung{
		{name: "bare", client: plain()},
		{name: "+headers", client: plain(), headers: true},
		{name: "+cancel-ctx", client: plain(), headers: true, cancel: true},
		{name: "+timer", client: plain(), headers: true, cancel: true, timer: true},
		{name: "+hooks", client: plain(), headers: true, cancel: true, timer: true, hooks: true},
		{name: "+our-transport", client: httpclient.NewDefault(1), headers: true, cancel: true, timer: true, hooks: true},
	}
	parent, cancel := context.WithCancel(context.Background()) // as the run's context is
	// The engine's own send, with kernel stamps and without (--no-kernel-timestamps).
	engines := []struct {
		name string
		e    *engine
		ctx  context.Context
	}{
		{"ours", newWriteEngine(url), parent},
		{"ours-user", newWriteEngine(url), httpclient.WithoutKernelStamps(parent)},
	}
	for _, r := range rungs {
		names = append(names, r.name)
	}
	for _, e := range engines {
		names = append(names, e.name)
	}
	w := newWorker(0)
	one = func(i int) (time.Duration, error) {
		if i < len(rungs) {
			return rungs[i].send(parent, url, body)
		}
		en := engines[i-len(rungs)]
		rec := &record.Record{}
		en.e.send(en.ctx, w, ds, rec, -1, false)
		if rec.Error != nil {
			return 0, fmt.Errorf("%s", rec.Error.Message)
		}
		if p := rec.HTTPPhases; p != nil && p.ConnReused {
			return p.RequestWritten, nil
		}
		return 0, nil
	}
	for i := range names { // open every connection before measuring
		if _, err := one(i); err != nil {
			b.Fatal(err)
		}
	}
	return names, one, func() { cancel(); srv.Close() }
}

func BenchmarkReusedConnWrite(b *testing.B) {
	names, one, stop := writeLadder(b)
	defer stop()
	writes := make([][]time.Duration, len(names))
	for k := 0; b.Loop(); k++ {
		for j := range names {
			i := (j + k) % len(names) // rotate the order too
			d, err := one(i)
			if err != nil {
				b.Fatal(err)
			}
			if d > 0 {
				writes[i] = append(writes[i], d)
			}
		}
	}
	for i, name := range names {
		slices.Sort(writes[i])
		if len(writes[i]) > 0 {
			b.ReportMetric(float64(writes[i][len(writes[i])/2].Nanoseconds()), name+"-write-ns")
		}
	}
}

// chatTurn is a small streamed chat turn, the body perf truth sends.
func chatTurn() *inputs.Turn {
	return &inputs.Turn{Body: inputs.Body{[]byte(`{"model":"mock-model","messages":[{"role":"user","content":"Say a few words."}],"stream":true,"max_tokens":32}`)},
		ContentType: inputs.ContentTypeJSON, Model: "mock-model"}
}

// newWriteEngine is an engine sending to url over its own measuring client.
func newWriteEngine(url string) *engine {
	return &engine{cfg: Config{Targets: []Target{{Name: "t", URL: url}}, Timeout: time.Minute, budget: responseBudget, Counter: tokens.Words{}},
		client: httpclient.NewDefault(1)}
}

// BenchmarkReusedConnRequest is each client of the ladder alone, for its
// allocations per request (one op = one request and its response).
func BenchmarkReusedConnRequest(b *testing.B) {
	names, one, stop := writeLadder(b)
	defer stop()
	for i, name := range names {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := one(i); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
