package daemon

import (
	"context"
	"io"
	"log"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

func TestBackoffPauses(t *testing.T) {
	b := newBackoff(time.Second, 4*time.Second, 3, nil) // 3 in flight
	at := int64(100)
	rec := func(reason record.Reason, retryAfter time.Duration) *record.Record {
		at++
		r := &record.Record{StartNs: at, Reason: reason, RetryAfter: retryAfter}
		switch reason {
		case record.ReasonNone:
			r.Responses = []record.Response{{Kind: record.Content}}
		default:
			r.Error = &record.Error{Message: "dial tcp: connection refused"}
		}
		return r
	}
	conn, ok, http5xx, http4xx, timeout := record.ReasonConnection, record.ReasonNone, record.ReasonHTTP5xx, record.ReasonHTTP4xx, record.ReasonTimeout
	steps := []struct {
		reason     record.Reason
		retryAfter time.Duration
		want       time.Duration
	}{
		{conn, 0, 0}, {conn, 0, time.Second}, // two refused connections in a row start a pause
		{conn, 0, 0}, {conn, 0, 2 * time.Second}, // doubling
		{conn, 0, 0}, {conn, 0, 4 * time.Second},
		{conn, 0, 0}, {conn, 0, 4 * time.Second}, // capped
		{timeout, 0, 0}, {conn, 0, 0}, // a timeout breaks the run of failures
		{conn, 0, 4 * time.Second},
		{ok, 0, 0}, {conn, 0, 0}, {conn, 0, time.Second}, // a success resets the pause
		{ok, 0, 0},
		// HTTP errors pause only when as many in a row as are in flight fail:
		// the server answers, but only with errors.
		{http5xx, 0, 0}, {http5xx, 0, 0}, {ok, 0, 0}, // one success among errors: no pause
		{http5xx, 0, 0}, {http5xx, 0, 0}, {http5xx, 0, time.Second},
		{ok, 0, 0},
		{http4xx, 3 * time.Second, 0}, {http4xx, 3 * time.Second, 0}, {http4xx, 3 * time.Second, 3 * time.Second}, // Retry-After wins
		{http4xx, time.Minute, 0}, {http4xx, time.Minute, 0}, {http4xx, time.Minute, 4 * time.Second}, // up to max
	}
	for i, s := range steps {
		if got, _ := b.observe(rec(s.reason, s.retryAfter)); got != s.want {
			t.Fatalf("step %d (%s): pause %v, want %v", i, s.reason, got, s.want)
		}
	}
	// Failures of requests sent before the last pause ended are stale.
	b.target("").resumedNs = at + 10
	for range 5 {
		if got, _ := b.observe(&record.Record{StartNs: at, Reason: conn, Error: &record.Error{}}); got != 0 {
			t.Fatalf("stale failure paused for %v", got)
		}
	}
}

// The daemon survives its target going away and coming back: while it is gone,
// the connection errors counter moves but the backoff bounds it, /metrics
// answers throughout, and probing resumes by itself once the target is back.
func TestDaemonSurvivesTargetOutage(t *testing.T) {
	defer testkit.NoLeaks(t, goleak.IgnoreCurrent())
	addr := testkit.FreeAddr(t)
	cfg := mockserver.Config{TTFT: 2 * time.Millisecond, ITL: time.Millisecond, Seed: 1}
	mock, err := mockserver.Start(context.Background(), addr, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	o, s := daemonOptions(t, "http://"+addr)
	a, stop := startAppBackoff(t, o, s, 100*time.Millisecond, 800*time.Millisecond)
	defer stop()
	success := func() float64 { return a.metric(t, "aiperf_requests_total", `outcome="success"`) }
	refused := func() float64 { return a.metric(t, "aiperf_request_errors_total", `reason="connection"`) }
	eventually(t, 30*time.Second, 20*time.Millisecond, "a first success", func() bool { return success() > 0 })

	if err := mock.Close(); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, 20*time.Millisecond, "connection errors", func() bool { return refused() > 0 })
	start := refused()
	mid := start
	for i := range 30 { // 3 s of outage, /metrics scraped every 100 ms
		time.Sleep(100 * time.Millisecond)
		if i == 10 {
			mid = refused()
		}
	}
	end := refused()
	t.Logf("connection errors during a 3 s outage: %v", end-start)
	if end <= mid {
		t.Errorf("connection errors stopped moving during the outage: %v then %v", mid, end)
	}
	// Unthrottled, a closed loop of 4 against a refused port fails thousands of
	// times in 3 s; with pauses of 0.1..0.8 s it is a few dozen.
	if end-start > 300 {
		t.Errorf("%v connection errors in 3 s: the backoff does not bound the retries", end-start)
	}

	// The pauses are on /metrics: at least one a second of a 3 s outage with
	// pauses of at most 0.8 s, and their seconds bounded by the outage so far.
	pauses, paused := a.metric(t, "aiperf_probe_pauses_total"), a.metric(t, "aiperf_probe_pause_seconds_total")
	if pauses < 3 || paused < 0.1*(pauses-1) || paused > 30 {
		t.Errorf("%v pauses lasting %v s in a 3 s outage, want at least 3 of 0.1..0.8 s", pauses, paused)
	}

	mock, err = mockserver.Start(context.Background(), addr, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer mock.Close()
	back := success()
	eventually(t, 30*time.Second, 20*time.Millisecond, "probes to succeed again", func() bool { return success() > back })
	logs := a.logs.String()
	for _, want := range []string{"unreachable", "pausing probes", "reachable again"} {
		if !strings.Contains(logs, want) {
			t.Errorf("no %q in the logs:\n%.3000s", want, logs)
		}
	}
	stop()
}

// startAppBackoff is startApp with the backoff bounds set.
func startAppBackoff(t *testing.T, o *options.Options, s *options.Serve, lo, hi time.Duration) (*runningApp, func()) {
	t.Helper()
	return startAppWith(t, o, s, func(app *App) { app.Daemon.BackoffMin, app.Daemon.BackoffMax = lo, hi })
}

// fakeDNS answers every query on a loopback UDP port with NXDOMAIN, so a DNS
// failure can be tested without leaving the machine.
func fakeDNS(t *testing.T) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	go func() {
		buf := make([]byte, 1500)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			if n < 12 {
				continue
			}
			resp := append([]byte(nil), buf[:n]...)
			resp[2] = 0x80 | resp[2]&0x79 // QR, keep opcode and RD
			resp[3] = 0x80 | 3            // RA, NXDOMAIN
			_, _ = pc.WriteTo(resp, from)
		}
	}()
	return pc.LocalAddr().String()
}

// An unreachable target of each kind (refused, DNS failure, TLS error) is
// counted as reason="connection" by a daemon that keeps serving /metrics and
// retries with bounded backoff.
func TestDaemonUnreachableTargets(t *testing.T) {
	tlsSrv := httptest.NewUnstartedServer(mockserver.New(mockserver.Config{}, nil))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // one handshake error per probe
	tlsSrv.StartTLS()                                   // with a certificate nobody trusts
	defer tlsSrv.Close()
	dns := fakeDNS(t)
	cases := []struct {
		name, url, message string
		resolver           *net.Resolver
	}{
		{name: "connection refused", url: "http://" + testkit.FreeAddr(t), message: "connection refused"},
		{name: "DNS failure", url: "http://nonexistent.invalid", message: "no such host", resolver: &net.Resolver{
			PreferGo: true,
			Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, "udp", dns)
			},
		}},
		{name: "TLS error", url: tlsSrv.URL, message: "certificate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, srv := daemonOptions(t, c.url)
			a, stop := startAppWith(t, o, srv, func(app *App) {
				app.Daemon.BackoffMin, app.Daemon.BackoffMax = 100*time.Millisecond, 400*time.Millisecond
				if c.resolver == nil {
					return
				}
				// The same engine, its client resolving through the fake DNS.
				cfg, err := probe.ConfigFrom(o, srv.Scenario)
				if err != nil {
					t.Fatal(err)
				}
				cfg.Counter = tokens.Words{}
				cfg.Client = &http.Client{Transport: &http.Transport{
					DialContext: (&net.Dialer{Resolver: c.resolver, Timeout: 5 * time.Second}).DialContext,
				}}
				ds, err := inputs.Build(o, cfg.Counter, rand.New(rand.NewSource(1)))
				if err != nil {
					t.Fatal(err)
				}
				app.Daemon.Scenarios[0].Run = ProbeRun(cfg, ds)
			})
			errs := func() float64 { return a.metric(t, "aiperf_request_errors_total", `reason="connection"`) }
			eventually(t, 30*time.Second, 20*time.Millisecond, "connection errors", func() bool { return errs() >= 2 })
			first := errs()
			time.Sleep(1500 * time.Millisecond)
			n := errs() - first
			t.Logf("%v connection errors in 1.5 s", n)
			if n < 1 || n > 200 {
				t.Errorf("%v connection errors in 1.5 s; want some (retrying) and few (backing off)", n)
			}
			code, page := get(t, a.base+"/", nil)
			if code != http.StatusOK || !strings.Contains(page, "connection") {
				t.Errorf("landing page (%d) does not show the connection failures:\n%.2000s", code, page)
			}
			stop()
			if logs := a.logs.String(); !strings.Contains(logs, c.message) || !strings.Contains(logs, "pausing probes") {
				t.Errorf("logs do not name the failure %q and the pause:\n%.3000s", c.message, logs)
			}
		})
	}
}
