package daemon

import (
	"bufio"
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// daemonOptions parses serve flags for a small streaming chat scenario against
// target, plus extra.
func daemonOptions(t *testing.T, target string, extra ...string) (*options.Options, *options.Serve) {
	t.Helper()
	args := append([]string{"--model", "mock-model", "--url", target, "--streaming", "--concurrency", "4",
		"--isl", "10", "--osl", "8", "--random-seed", "3", "--scenario", "faults", "--shutdown.grace-period", "0"}, extra...)
	return validOptions(t, args...)
}

// runningApp is a daemon serving on a loopback port, with its logs.
type runningApp struct {
	base string // http://host:port of the daemon
	logs *syncBuf
	app  *App
}

// startApp runs the daemon built by NewApp until the test ends.
func startApp(t *testing.T, o *options.Options, s *options.Serve) *runningApp {
	t.Helper()
	a, _ := startAppWith(t, o, s, nil)
	return a
}

// startAppWith is startApp with a change to the app before it runs; stop ends
// the daemon and is also called when the test ends.
func startAppWith(t *testing.T, o *options.Options, s *options.Serve, tweak func(*App)) (*runningApp, func()) {
	t.Helper()
	logs := &syncBuf{b: &bytes.Buffer{}}
	log, err := NewLogger(logs, "info", "json")
	if err != nil {
		t.Fatal(err)
	}
	app, err := NewApp(o, s, log)
	if err != nil {
		t.Fatal(err)
	}
	if tweak != nil {
		tweak(app)
	}
	ls, err := Listen([]string{"127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx, ls) }()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("daemon: %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Errorf("daemon did not stop within 30s")
			}
		})
	}
	t.Cleanup(stop)
	return &runningApp{base: "http://" + ls[0].Addr().String(), logs: logs, app: app}, stop
}

// metric sums the samples of name in /metrics whose labels contain every
// label="value" pair given; it fails the test when /metrics does not answer.
func (a *runningApp) metric(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	code, body := get(t, a.base+"/metrics", nil)
	if code != http.StatusOK {
		t.Fatalf("/metrics answered %d", code)
	}
	return sampleSum(body, name, labels...)
}

func sampleSum(exposition, name string, labels ...string) float64 {
	var sum float64
	sc := bufio.NewScanner(strings.NewReader(exposition))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
line:
	for sc.Scan() {
		l := sc.Text()
		if !strings.HasPrefix(l, name+"{") && !strings.HasPrefix(l, name+" ") {
			continue
		}
		for _, lv := range labels {
			if !strings.Contains(l, lv) {
				continue line
			}
		}
		v, err := strconv.ParseFloat(l[strings.LastIndexByte(l, ' ')+1:], 64)
		if err == nil {
			sum += v
		}
	}
	return sum
}

// Each mock fault reaches aiperf_request_errors_total{reason} (or the skipped
// events counter) of a running daemon, which keeps serving /metrics.
func TestDaemonCountsEveryFault(t *testing.T) {
	mock := mocktest.Start(t, mockserver.Config{TTFT: 2 * time.Millisecond,
		ITL: time.Millisecond, Seed: 1})
	o, s := daemonOptions(t, mock.URL, "--request-timeout-seconds", "1")
	// Short pauses: the error cases follow one another with no success between
	// them, and the backoff (which pauses a target answering only errors)
	// would otherwise grow to many seconds.
	a, _ := startAppBackoff(t, o, s, 10*time.Millisecond, 100*time.Millisecond)

	cases := []struct {
		name   string
		faults mockserver.Faults
		metric string
		label  string
	}{
		{"none", mockserver.Faults{}, "aiperf_requests_total", `outcome="success"`},
		{"error500", mockserver.Faults{Error500: 1}, "aiperf_request_errors_total", `reason="http_5xx"`},
		{"error429", mockserver.Faults{Error429: 1}, "aiperf_request_errors_total", `reason="http_4xx"`},
		{"drop_mid_stream", mockserver.Faults{DropMidStream: 1}, "aiperf_request_errors_total", `reason="stream_error"`},
		{"error_event", mockserver.Faults{ErrorEvent: 1}, "aiperf_request_errors_total", `reason="stream_error"`},
		{"truncate", mockserver.Faults{Truncate: 1}, "aiperf_request_errors_total", `reason="stream_error"`},
		{"malformed_event", mockserver.Faults{MalformedEvent: 1}, "aiperf_stream_skipped_events_total", ""},
		{"stall_past_timeout", mockserver.Faults{Stall: 1, StallDuration: time.Minute}, "aiperf_request_errors_total", `reason="timeout"`},
		{"slow_headers_past_timeout", mockserver.Faults{SlowHeaders: 1, SlowHeadersDelay: time.Minute}, "aiperf_request_errors_total", `reason="timeout"`},
		{"wrong_content_type", mockserver.Faults{WrongContentType: 1}, "aiperf_requests_total", `outcome="success"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := a.metric(t, c.metric, c.label)
			mock.Server.Configure(mockserver.Config{TTFT: 2 * time.Millisecond, ITL: time.Millisecond, Faults: c.faults, Seed: 1})
			eventually(t, 30*time.Second, 50*time.Millisecond, c.metric+"{"+c.label+"} to grow", func() bool {
				return a.metric(t, c.metric, c.label) > before
			})
		})
	}
	if !strings.Contains(a.logs.String(), `"reason":"stream_error"`) {
		t.Errorf("no failed-probe log line with its reason:\n%.2000s", a.logs.String())
	}
}

// String returns what was written so far.
func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
