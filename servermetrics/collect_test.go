package servermetrics

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// flakyServer answers every third of its first 12 scrapes with garbage and
// every fifth with HTTP 500, and otherwise with a counter equal to the
// scrape's number. It remembers the values it served in good answers.
type flakyServer struct {
	mu     sync.Mutex
	n      int
	served []int
	enough chan struct{}
	once   sync.Once
}

func (f *flakyServer) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	f.n++
	n := f.n
	if n >= 14 { // past the bad ones, so the one Stop may cut short is a good one
		f.once.Do(func() { close(f.enough) })
	}
	switch {
	case n > 12:
	case n%5 == 0:
		f.mu.Unlock()
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	case n%3 == 0:
		f.mu.Unlock()
		_, _ = fmt.Fprint(w, "<html>proxy error</html>\n")
		return
	}
	f.served = append(f.served, n)
	f.mu.Unlock()
	_, _ = fmt.Fprintf(w, "# TYPE vllm:request_success_total counter\nvllm:request_success_total %d\n# TYPE vllm:num_requests_running gauge\nvllm:num_requests_running %d\n", n, n%4)
}

func TestCollectorSurvivesBadScrapes(t *testing.T) {
	defer testkit.NoLeaks(t, goleak.IgnoreCurrent())
	f := &flakyServer{enough: make(chan struct{})}
	srv := httptest.NewServer(f)
	defer srv.Close()
	var warnings []string
	var mu sync.Mutex
	c := Start(Config{
		Targets:  []Target{{URL: srv.URL + "/metrics", Kind: KindServer}},
		Interval: 5 * time.Millisecond,
		Warn:     func(m string) { mu.Lock(); warnings = append(warnings, m); mu.Unlock() },
	})
	<-f.enough
	res := c.Stop()

	f.mu.Lock()
	served, tried := f.served, f.n
	f.mu.Unlock()
	failed := tried - len(served)
	_, total, ok := res.CounterTotal(Finished)
	if want := float64(served[len(served)-1] - served[0]); !ok || total != want {
		t.Errorf("requests finished %v, want %v (last good %d minus first good %d)", total, want, served[len(served)-1], served[0])
	}
	ep := res.Endpoints[0]
	// A scrape in flight when Stop cancels the periodic ones is not counted.
	if ep.Fetches != tried && ep.Fetches != tried-1 || ep.Failures != failed || ep.LastError == "" {
		t.Errorf("endpoint info %+v, want %d fetches, %d failures and the last error", ep, tried, failed)
	}
	if len(warnings) != 1 {
		t.Errorf("%d warnings, want exactly one: %q", len(warnings), warnings)
	}
	if _, g, ok := res.Gauge(Running); !ok || g.Max > 3 {
		t.Errorf("running gauge %+v %v", g, ok)
	}
}

func TestCollectorUnreachable(t *testing.T) {
	var warned []string
	c := Start(Config{
		Targets: []Target{{URL: "http://" + testkit.FreeAddr(t) + "/metrics", Kind: KindGPU}},
		Warn:    func(m string) { warned = append(warned, m) },
	})
	res := c.Stop()
	ep := res.Endpoints[0]
	if ep.OK() || ep.Failures != 2 || len(res.Metrics) != 0 || len(warned) != 1 || !strings.HasPrefix(warned[0], "gpu metrics http://127.0.0.1") {
		t.Fatalf("endpoint %+v metrics %d warnings %q", ep, len(res.Metrics), warned)
	}
}

func TestScrapeBounds(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/huge", func(w http.ResponseWriter, _ *http.Request) {
		line := strings.Repeat("x", 1023) + "\n"
		for i := 0; i <= MaxBodyBytes/1024; i++ {
			if _, err := fmt.Fprint(w, line); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprint(w, `[{"iter":1}]`)
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/404", http.NotFound)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	for path, want := range map[string]string{
		"/huge": "larger than", "/json": "application/json", "/hang": "deadline exceeded", "/404": "HTTP 404",
	} {
		timeout := time.Minute // generous: 16 MiB over loopback on a loaded machine
		if path == "/hang" {
			timeout = 100 * time.Millisecond
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		_, err := Scrape(ctx, srv.Client(), srv.URL+path, "")
		cancel()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one saying %q", path, err, want)
		}
	}
}

// After Rebase (profile's warmup end) the window starts at the scrape it
// asks for: what the server counted before (the warmup) is left out of
// counters, and gauge samples before it too.
func TestCollectorRebaseStartsTheWindow(t *testing.T) {
	defer testkit.NoLeaks(t, goleak.IgnoreCurrent())
	var mu sync.Mutex
	counter, gauge := 5, 100
	served := make(chan struct{}, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		_, _ = fmt.Fprintf(w, "# TYPE done_total counter\ndone_total %d\n# TYPE running gauge\nrunning %d\n", counter, gauge)
		mu.Unlock()
		served <- struct{}{}
	}))
	defer srv.Close()
	set := func(c, g int) {
		mu.Lock()
		counter, gauge = c, g
		mu.Unlock()
	}
	c := Start(Config{Targets: []Target{{URL: srv.URL + "/metrics", Kind: KindServer}}, Interval: time.Hour})
	<-served  // the baseline: 5, 100
	set(2, 1) // the server restarted in the warmup, then served two requests
	c.Rebase()
	<-served // the window's start: 2, 1
	set(5, 3)
	res := c.Stop() // 5, 3
	m, _ := res.Lookup("done_total")
	if got := m.Series[0].Counter; got.Total != 3 || got.Resets != 0 {
		t.Errorf("counter total %g with %d resets, want 3 and 0 (the warmup and its reset left out)", got.Total, got.Resets)
	}
	g, _ := res.Lookup("running")
	if st := g.Series[0].Gauge; st.Count != 2 || st.Min != 1 || st.Max != 3 {
		t.Errorf("gauge over %d samples, min %g max %g; want 2 samples from 1 to 3", st.Count, st.Min, st.Max)
	}
	if ep := res.Endpoints[0]; ep.Fetches != 3 || !ep.First.After(res.Start) {
		t.Errorf("endpoint %+v: want 3 fetches and the window from the rebase scrape", ep)
	}
}
