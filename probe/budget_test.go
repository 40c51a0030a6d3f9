package probe

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// The budget grants reservations while they fit, refuses the one that does
// not, and has room again once bytes are released.
func TestBudget(t *testing.T) {
	b := newBudget(10)
	steps := []struct {
		reserve, release int
		ok               bool
		held             int
	}{
		{reserve: 4, ok: true, held: 4},
		{reserve: 6, ok: true, held: 10},
		{reserve: 1, ok: false, held: 10},
		{release: 6, held: 4},
		{reserve: 7, ok: false, held: 4},
		{reserve: 6, ok: true, held: 10},
		{release: 10, held: 0},
	}
	for i, s := range steps {
		if s.reserve > 0 {
			if ok := b.reserve(s.reserve); ok != s.ok {
				t.Errorf("step %d: reserve(%d) = %v, want %v", i, s.reserve, ok, s.ok)
			}
		} else {
			b.release(s.release)
		}
		if held := b.state().held; held != s.held {
			t.Errorf("step %d: %d held, want %d", i, held, s.held)
		}
	}
	if st := b.state(); st.peak != 10 || st.refusals != 2 {
		t.Errorf("peak %d, refusals %d; want 10 and 2", st.peak, st.refusals)
	}
}

// A reservation takes nothing up to keepBytes, then grows with the buffers,
// names the budget when it is spent, and gives everything back at its end.
func TestReservation(t *testing.T) {
	b := newBudget(4 << 20)
	var r, other reservation
	r.budget, other.budget = b, b
	if err := r.cover(keepBytes); err != nil || r.reserved != 0 {
		t.Fatalf("at keepBytes: %v, %d reserved", err, r.reserved)
	}
	if err := r.cover(3 << 20); err != nil || r.reserved != 3<<20 {
		t.Fatalf("3 MiB: %v, %d reserved", err, r.reserved)
	}
	err := other.cover(2 << 20)
	if !errors.As(err, new(refusedError)) || err.Error() != "responses in flight hold more than the client's 4 MiB budget" {
		t.Fatalf("over budget: %v", err)
	}
	r.end()
	if err := other.cover(2 << 20); err != nil {
		t.Fatalf("after the first ended: %v", err)
	}
	other.end()
	if st := b.state(); st.held != 0 || st.peak != 3<<20 {
		t.Errorf("held %d, peak %d after both ended", st.held, st.peak)
	}
	var none reservation // no budget: nothing is bounded nor counted
	if err := none.cover(1 << 40); err != nil {
		t.Error(err)
	}
	none.end()
}

// Many goroutines reserving and releasing never take the budget past its
// limit, and leave nothing held (run with -race).
func TestBudgetConcurrent(t *testing.T) {
	b := newBudget(100)
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				n := 1 + (g+i)%30
				if b.reserve(n) {
					b.release(n)
				}
			}
		}()
	}
	wg.Wait()
	if st := b.state(); st.held != 0 || st.peak > 100 || st.peak == 0 {
		t.Errorf("held %d, peak %d (limit 100)", st.held, st.peak)
	}
}

// Many concurrent requests whose responses each hold megabytes: together they
// never hold more than the budget; the requests that do not fit end at once
// as error records naming it, and the others finish and are measured.
func TestResponseBudgetAcrossRequests(t *testing.T) {
	const requests = 8
	cases := []struct {
		name       string
		streaming  bool
		head, tail string // the server sends head, waits for the gate, then sends tail
	}{
		{"streamed long line", true, // held in stream.long until the line ends
			": " + strings.Repeat("k", 3<<20),
			"\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"},
		{"large body", false, // held in the worker's body; its answer is short, as the line's,
			// so the requests holding their heads when the gate opens all fit to the end
			`{"pad":"` + strings.Repeat("k", 2<<20),
			`","choices":[{"message":{"content":"ok"},"finish_reason":"stop"}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := newBudget(8 << 20) // room for two or three such requests
			gate := openOnRefusal(t, b)
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				if c.streaming {
					w.Header().Set("Content-Type", "text/event-stream")
				}
				if _, err := io.WriteString(w, c.head); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-gate:
				case <-r.Context().Done():
					return
				}
				_, _ = io.WriteString(w, c.tail)
			})
			recs := runHandler(t, h, Config{budget: b, Concurrency: requests, RequestCount: requests, Streaming: c.streaming})

			var refused, valid int
			for _, r := range recs {
				switch {
				case r.Valid() && len(r.Responses) == 1:
					valid++
				case r.Error != nil && r.Error.Message == "responses in flight hold more than the client's 8 MiB budget" &&
					r.Error.Type == "StreamError" && r.Reason == record.ReasonStreamError:
					refused++
				default:
					t.Errorf("record %+v, error %+v", r, r.Error)
				}
			}
			st := b.state()
			held, peak := st.held, st.peak
			t.Logf("%d valid, %d refused, budget peak %d bytes", valid, refused, peak)
			if len(recs) != requests || valid == 0 || refused == 0 {
				t.Errorf("%d records: %d valid, %d refused; want %d, some of each", len(recs), valid, refused, requests)
			}
			if peak > b.limit || peak < 2<<20 {
				t.Errorf("budget peak %d bytes, want between 2 MiB and the limit %d", peak, b.limit)
			}
			if held != 0 {
				t.Errorf("%d bytes still reserved after the run", held)
			}
		})
	}
}

// openOnRefusal returns a channel closed once b has refused a reservation:
// servers hold their responses open until then, so the requests overlap
// whatever the machine's speed.
func openOnRefusal(t *testing.T, b *budget) <-chan struct{} {
	gate := make(chan struct{})
	var once sync.Once
	open := func() { once.Do(func() { close(gate) }) }
	t.Cleanup(open)
	go func() {
		for {
			if refusals := b.state().refusals; refusals > 0 {
				open()
				return
			}
			select {
			case <-gate:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return gate
}

// A run's ResponseBudget (--response-budget-mib) is the process-wide limit from
// then on: a response that does not fit in it ends as the error naming it, and
// ResponseBudgetState (read by /metrics) shows the limit and the refusal.
func TestResponseBudgetFromConfig(t *testing.T) {
	t.Cleanup(func() { responseBudget.setLimit(defaultResponseBudget) })
	_, _, before := ResponseBudgetState()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"pad":"`+strings.Repeat("k", 3<<20)+`","choices":[{"message":{"content":"ok"}}]}`)
	}))
	t.Cleanup(srv.Close)
	var recs []*record.Record
	cfg := Config{ResponseBudget: 2 << 20, Concurrency: 1, RequestCount: 1, Timeout: time.Minute,
		Targets: []Target{{Name: "t", URL: srv.URL + "/v1/chat/completions"}}}
	if err := Run(context.Background(), cfg, testDataset(), func(r *record.Record) { recs = append(recs, r) }); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0].Error == nil || recs[0].Error.Message != "responses in flight hold more than the client's 2 MiB budget" {
		t.Fatalf("records %+v", recs)
	}
	held, limit, after := ResponseBudgetState()
	if held != 0 || limit != 2<<20 || after <= before {
		t.Errorf("held %d, limit %d, refusals %d (before the run %d)", held, limit, after, before)
	}
}
