package probe

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// fakeServer streams `tokens` words, ttft then itl apart, or fails as asked
// by the X-Fail request header set through the handler's mode.
type fakeServer struct {
	mode     atomic.Value // "", "500", "hang"
	inFlight atomic.Int64
	peak     atomic.Int64
	requests atomic.Int64
}

func (f *fakeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	_, _ = io.Copy(io.Discard, r.Body) // the server notices a closed client only after the body
	n := f.inFlight.Add(1)
	defer f.inFlight.Add(-1)
	for p := f.peak.Load(); n > p && !f.peak.CompareAndSwap(p, n); p = f.peak.Load() {
	}
	switch f.mode.Load() {
	case "500":
		http.Error(w, `{"error":"boom"}`, http.StatusInternalServerError)
		return
	case "hang":
		<-r.Context().Done()
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	fl := w.(http.Flusher)
	time.Sleep(20 * time.Millisecond)
	for i := 0; i < 5; i++ {
		if i > 0 {
			time.Sleep(5 * time.Millisecond)
		}
		fmt.Fprintf(w, "data: {\"choices\":[{\"delta\":{\"content\":\" w%d\"}}]}\n\n", i)
		fl.Flush()
	}
	fmt.Fprint(w, "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
}

func testDataset() *inputs.Dataset {
	ds := &inputs.Dataset{}
	for i := 0; i < 3; i++ {
		ds.Conversations = append(ds.Conversations, inputs.Conversation{
			ID: "conv-" + strconv.Itoa(i),
			Turns: []inputs.Turn{{Body: inputs.Body{[]byte(`{"messages":[]}`)}, ContentType: "application/json",
				Model: "m", InputTokens: 4}},
		})
	}
	return ds
}

// runHandler sends cfg's requests to h over loopback, with a minute's timeout
// if cfg has none, and returns the records.
func runHandler(t *testing.T, h http.Handler, cfg Config) []*record.Record {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	if cfg.Timeout == 0 {
		cfg.Timeout = time.Minute
	}
	cfg.Targets = []Target{{Name: "t", URL: srv.URL + "/v1/chat/completions"}}
	recs, err := collect(context.Background(), cfg, testDataset())
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestClosedLoopCountsAndStamps(t *testing.T) {
	f := &fakeServer{}
	recs := runHandler(t, f, Config{Streaming: true, Concurrency: 3, RequestCount: 9, WarmupCount: 2, Timeout: 10 * time.Second})
	if len(recs) != 11 {
		t.Fatalf("%d records, want 9 + 2 warmup", len(recs))
	}
	warm := 0
	ids := map[string]bool{}
	for _, r := range recs {
		if r.Phase == record.PhaseWarmup {
			warm++
			continue
		}
		if !r.Valid() || len(r.Responses) != 5 || r.OutputTokens != 5 || r.TokenSource != "words" {
			t.Fatalf("bad record %+v", r)
		}
		if ttft := r.Responses[0].Offset; ttft < 20*time.Millisecond {
			t.Errorf("TTFT %v shorter than the server's 20ms delay", ttft)
		}
		if ids[r.RequestID] || len(r.RequestID) != 36 {
			t.Errorf("request id %q reused or malformed", r.RequestID)
		}
		ids[r.RequestID] = true
	}
	if warm != 2 {
		t.Errorf("%d warmup records", warm)
	}
	if p := f.peak.Load(); p > 3 {
		t.Errorf("peak concurrency %d above 3", p)
	}
}

func TestErrorsBecomeRecords(t *testing.T) {
	f := &fakeServer{}
	f.mode.Store("500")
	recs := runHandler(t, f, Config{Streaming: true, Concurrency: 2, RequestCount: 4, Timeout: 10 * time.Second})
	for _, r := range recs {
		if r.Error == nil || r.Error.Code != 500 || r.Reason != record.ReasonHTTP5xx || r.Error.Message != `{"error":"boom"}` {
			t.Fatalf("got %+v %+v", r, r.Error)
		}
	}
	f.mode.Store("hang")
	recs = runHandler(t, f, Config{Streaming: true, Concurrency: 2, RequestCount: 2, Timeout: 100 * time.Millisecond})
	for _, r := range recs {
		if r.Reason != record.ReasonTimeout {
			t.Fatalf("hang gave %+v %+v", r.Reason, r.Error)
		}
	}
	recs = runHandler(t, f, Config{Streaming: true, Concurrency: 2, RequestCount: 4, Timeout: 10 * time.Second, CancelRate: 1, CancelDelay: 10 * time.Millisecond})
	for _, r := range recs {
		if !r.Cancelled || r.Error == nil || r.Error.Code != 499 || r.Error.Type != "RequestCancellationError" {
			t.Fatalf("cancel gave %+v %+v", r, r.Error)
		}
	}
}

func TestUnreachableTarget(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	var got []*record.Record
	err := Run(context.Background(), Config{Targets: []Target{{Name: "gone", URL: url}}, Concurrency: 1, RequestCount: 2, Timeout: 5 * time.Second},
		testDataset(), func(r *record.Record) { got = append(got, r) })
	if err != nil || len(got) != 2 || got[0].Reason != record.ReasonConnection {
		t.Fatalf("err %v records %+v", err, got)
	}
}

func TestRateModeSchedulesArrivals(t *testing.T) {
	f := &fakeServer{}
	start := time.Now()
	recs := runHandler(t, f, Config{Streaming: true, RequestRate: 50, Concurrency: 0, RequestCount: 20, Timeout: 10 * time.Second})
	if len(recs) != 20 {
		t.Fatalf("%d records", len(recs))
	}
	// Constant arrivals at 50/s: the last intended start is ~380ms after the first.
	first, last := recs[0].IntendedStart(), recs[0].IntendedStart()
	for _, r := range recs {
		first, last = min(first, r.IntendedStart()), max(last, r.IntendedStart())
	}
	if span := time.Duration(last - first); span < 200*time.Millisecond || time.Since(start) > 20*time.Second {
		t.Errorf("arrivals spanned %v", span)
	}
}

func TestContinuousRunStopsOnCancel(t *testing.T) {
	f := &fakeServer{}
	srv := httptest.NewServer(f)
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var n atomic.Int64
	done := make(chan error)
	go func() {
		done <- Run(ctx, Config{Targets: []Target{{URL: srv.URL}}, Streaming: true, Concurrency: 2, Timeout: 10 * time.Second},
			testDataset(), func(*record.Record) {
				if n.Add(1) == 6 {
					cancel()
				}
			})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("continuous run did not stop after cancel")
	}
}

// An open-loop rate without --concurrency against a stalled server keeps at
// most the default cap in flight; the excess waits for a slot, which shows as
// each request's slot wait (schedule lag), not as an unbounded pile of
// connections.
func TestRateInFlightCappedByDefault(t *testing.T) {
	old := rateInFlightCap
	rateInFlightCap = 8
	t.Cleanup(func() { rateInFlightCap = old })
	f := &fakeServer{}
	f.mode.Store("hang")
	// In flight as the client sees it: started and not yet emitted (the
	// server notices a closed request a little later, so its count lags).
	var started, peak atomic.Int64
	var emitted atomic.Int64
	cfg := Config{RequestRate: 1000, RequestCount: 40, Timeout: 150 * time.Millisecond,
		OnStart: func(*record.Record) {
			n := started.Add(1) - emitted.Load()
			for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
			}
		}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg.Targets = []Target{{Name: "t", URL: srv.URL + "/v1/chat/completions"}}
	var recs []*record.Record
	if err := Run(context.Background(), cfg, testDataset(), func(r *record.Record) {
		emitted.Add(1)
		recs = append(recs, r) // calls to the sink are serialised
	}); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 40 {
		t.Fatalf("%d records", len(recs))
	}
	if p := peak.Load(); p > 8 {
		t.Errorf("%d requests in flight, cap is 8", p)
	}
	waited := 0
	for _, r := range recs {
		if r.SlotWait > 0 {
			waited++
		}
	}
	if waited == 0 {
		t.Error("no request shows a slot wait")
	}
}

// Each request carries its conversation's id in the session header:
// X-Correlation-Id by default, the name --session-header gives otherwise.
func TestSessionHeaderCarriesTheConversationID(t *testing.T) {
	for _, tc := range []struct{ header, want string }{{"", "X-Correlation-Id"}, {"X-Session-Id", "X-Session-Id"}} {
		var got sync.Map // conversation id -> header seen
		f := &fakeServer{}
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got.Store(r.Header.Get(tc.want), true)
			f.ServeHTTP(w, r)
		}))
		err := Run(context.Background(), Config{Targets: []Target{{URL: srv.URL}}, Streaming: true, Concurrency: 1,
			RequestCount: 3, Timeout: 10 * time.Second, SessionHeader: tc.header}, testDataset(), func(*record.Record) {})
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 3; i++ {
			if _, ok := got.Load("conv-" + strconv.Itoa(i)); !ok {
				t.Errorf("session header %q: no request carried %s: conv-%d", tc.header, tc.want, i)
			}
		}
	}
}

// --ignore-trace-delays sends a conversation's turns back to back: a turn
// recorded an hour after the previous one is sent as soon as it may be.
func TestIgnoreTraceDelaysSkipsTurnDelays(t *testing.T) {
	f := &fakeServer{}
	srv := httptest.NewServer(f)
	defer srv.Close()
	turn := inputs.Turn{Body: inputs.Body{[]byte(`{"messages":[]}`)}, ContentType: "application/json", Model: "m"}
	later := turn
	later.Delay = time.Hour
	ds := &inputs.Dataset{Conversations: []inputs.Conversation{{ID: "c", Turns: []inputs.Turn{turn, later}}}}
	// The deadline only stops a failing run; a passing one ends long before.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var n atomic.Int64
	err := Run(ctx, Config{Targets: []Target{{URL: srv.URL}}, Streaming: true, Concurrency: 1, RequestCount: 2,
		Timeout: 10 * time.Second, IgnoreTraceDelays: true}, ds, func(*record.Record) { n.Add(1) })
	if err != nil || n.Load() != 2 {
		t.Fatalf("%d of 2 turns sent (%v): the hour's delay was waited for", n.Load(), err)
	}
	if p, err := plan(Config{Targets: []Target{{URL: srv.URL}}, IgnoreTraceDelays: true}, chatDataset(2, ms(0), ms(10))); err != nil || p != nil {
		t.Errorf("a trace with --ignore-trace-delays: plan %v, %v; want no fixed schedule", p, err)
	}
}

// --warmup-duration ends the warmup after that long, even with a larger
// --warmup-request-count left, and the profiling phase then runs in full.
func TestWarmupDurationEndsTheWarmup(t *testing.T) {
	f := &fakeServer{}
	srv := httptest.NewServer(f)
	defer srv.Close()
	for _, count := range []int{0, 100000} {
		var warm, prof atomic.Int64
		var firstWarm, lastWarm atomic.Int64
		err := Run(context.Background(), Config{Targets: []Target{{URL: srv.URL}}, Streaming: true, Concurrency: 1,
			RequestCount: 2, WarmupCount: count, WarmupDuration: time.Second, Timeout: 10 * time.Second},
			testDataset(), func(r *record.Record) {
				if r.Phase == record.PhaseWarmup {
					warm.Add(1)
					firstWarm.CompareAndSwap(0, r.StartNs)
					lastWarm.Store(r.StartNs)
				} else {
					prof.Add(1)
				}
			})
		if err != nil {
			t.Fatal(err)
		}
		// Each request takes ~45 ms: a second holds far fewer than 100000.
		if warm.Load() < 1 || warm.Load() >= 100000 || prof.Load() != 2 {
			t.Errorf("warmup count %d: %d warmup and %d profiling requests", count, warm.Load(), prof.Load())
		}
		// The warmup's clock starts before its first request: none starts a
		// second or more after that one.
		if d := time.Duration(lastWarm.Load() - firstWarm.Load()); d >= time.Second {
			t.Errorf("warmup count %d: a warmup request started %v after the first, after the second", count, d)
		}
	}
}
