package httpclient_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"flag"
	"io"
	"log"
	"math/rand"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// hcOptions are validated options for a small streaming run with audio (so the
// upload is a real phase) against urls, changed by set.
func hcOptions(t *testing.T, set func(o *options.Options), urls ...string) *options.Options {
	t.Helper()
	var o options.Options
	if err := options.Register(flag.NewFlagSet("t", flag.ContinueOnError), &o); err != nil {
		t.Fatal(err)
	}
	o.Models, o.URLs, o.Streaming = []string{"m"}, urls, true
	o.InputTokensMean, o.OutputTokensMean, o.AudioLengthMean = 16, 8, 0.5
	o.NumDatasetEntries, o.Concurrency, o.RequestCount, o.RequestTimeout = 4, 2, 6, 20
	if set != nil {
		set(&o)
	}
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	return &o
}

// hcRun runs o through ConfigFrom and the engine; a ConfigFrom error is returned.
func hcRun(t *testing.T, o *options.Options) ([]*record.Record, error) {
	t.Helper()
	cfg, err := probe.ConfigFrom(o, "test")
	if err != nil {
		return nil, err
	}
	defer cfg.Client.CloseIdleConnections()
	return hcRunConfig(t, o, cfg), nil
}

func hcRunConfig(t *testing.T, o *options.Options, cfg probe.Config) []*record.Record {
	t.Helper()
	ds, err := inputs.Build(o, tokens.Words{}, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var mu sync.Mutex
	var recs []*record.Record
	if err := probe.Run(ctx, cfg, ds, func(r *record.Record) {
		mu.Lock()
		defer mu.Unlock()
		recs = append(recs, r)
	}); err != nil {
		t.Fatal(err)
	}
	if len(recs) != o.RequestCount {
		t.Fatalf("%d records, want %d", len(recs), o.RequestCount)
	}
	return recs
}

// mock is the embedded mock server's handler, wrapped by check when given.
func mock(check func(w http.ResponseWriter, r *http.Request) bool) http.Handler {
	m := mockserver.New(mockserver.Config{TTFT: 20 * time.Millisecond, ITL: time.Millisecond, Seed: 1}, nil)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if check != nil && !check(w, r) {
			return
		}
		m.ServeHTTP(w, r)
	})
}

// tlsServer serves h over TLS with a certificate of ca; with clientCA it
// requires a client certificate signed by it.
func tlsServer(t *testing.T, h http.Handler, ca, clientCA *testkit.CA) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{ca.IssueServer(t, t.TempDir(), "server").TLS}}
	if clientCA != nil {
		srv.TLS.ClientAuth, srv.TLS.ClientCAs = tls.RequireAndVerifyClientCert, clientCA.Pool()
	}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// testProxy is a forward proxy on loopback: CONNECT tunnels for https targets
// and httputil.ReverseProxy for absolute-URI requests to http targets; with
// refuse it answers 403 to everything.
type testProxy struct {
	refuse             bool
	connects, forwards atomic.Int64
	mu                 sync.Mutex
	conns              []net.Conn
}

func (p *testProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p.refuse {
		http.Error(w, "denied by policy", http.StatusForbidden)
		return
	}
	if r.Method != http.MethodConnect {
		p.forwards.Add(1)
		// The body is read whole before forwarding: streamed, the transport's
		// final read of it (checking it is no longer than its Content-Length)
		// races with this server, which drains and closes the inbound body
		// when the response headers are written; the read then fails, the
		// transport drops the upstream connection and the stream is cut
		// (golang/go#40747, #15527).
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		(&httputil.ReverseProxy{Rewrite: func(*httputil.ProxyRequest) {}, FlushInterval: -1}).ServeHTTP(w, r)
		return
	}
	p.connects.Add(1)
	dst, err := net.Dial("tcp", r.Host)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	src, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		dst.Close()
		return
	}
	p.mu.Lock()
	p.conns = append(p.conns, src, dst)
	p.mu.Unlock()
	_, _ = src.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
	go func() { _, _ = io.Copy(dst, src); dst.Close() }()
	go func() { _, _ = io.Copy(src, dst); src.Close() }()
}

func (p *testProxy) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

func startProxy(t *testing.T, p *testProxy) string {
	t.Helper()
	srv := httptest.NewServer(p)
	t.Cleanup(func() { p.close(); srv.Close() })
	return srv.URL
}

// checkPhases checks what every valid record's HTTP phases must satisfy:
// connect + TLS + upload + wait <= TTFT, a new connection has a connect (and a
// TLS handshake over https), and upload and wait happened.
func checkPhases(t *testing.T, recs []*record.Record, https bool) {
	t.Helper()
	newConns, dialed := 0, 0
	for _, r := range recs {
		if !r.Valid() || r.HTTPPhases == nil {
			t.Fatalf("record not valid or without phases: %+v %+v", r.Error, r.HTTPPhases)
		}
		d := metrics.PhaseDurations(r.HTTPPhases)
		connect, tlsd, upload, wait := d[1], d[2], d[3], d[4]
		ttft, ok := metrics.ForRecord(r).Get(metrics.TTFT)
		if !ok {
			t.Fatal("no TTFT")
		}
		// The first byte and the first token often come in one read, with
		// one kernel stamp: equal, but for the float rounding of ms (1 ns).
		if sum := connect + tlsd + upload + wait; sum.Seconds()*1000 > ttft+1e-6 {
			t.Errorf("connect %v + tls %v + upload %v + wait %v = %v > TTFT %.3fms", connect, tlsd, upload, wait, sum, ttft)
		}
		// A dial the request started but did not use (another connection came
		// free first) can still report connect/TLS through the request's trace
		// after the upload; send.go ignores dial hooks after GotConn (stampDial).
		if p := r.HTTPPhases; p.Connect > p.RequestWritten || p.TLS > p.RequestWritten {
			t.Errorf("stray dial in the phases of %s: %+v", r.RequestID, *p)
		} else if upload <= 0 || wait <= 0 {
			t.Errorf("upload %v and wait %v must both have happened", upload, wait)
		}
		// Dial phases belong to the request that dialed the connection it
		// used, which is then that connection's first request. The first
		// request of a connection another request dialed (net/http hands
		// connections over) has none.
		if !r.HTTPPhases.ConnReused {
			newConns++
			if connect > 0 {
				dialed++
			}
		}
		if connect > 0 && (r.HTTPPhases.ConnReused || (https && tlsd <= 0)) || connect <= 0 && tlsd != 0 || !https && tlsd != 0 {
			t.Errorf("dial phases: connect %v, tls %v, reused %v (https %v)", connect, tlsd, r.HTTPPhases.ConnReused, https)
		}
	}
	if newConns == 0 || newConns == len(recs) || dialed == 0 {
		t.Errorf("%d new connections (%d with their dial's phases) for %d requests at concurrency 2: want some new, some reused", newConns, dialed, len(recs))
	}
}

// errorsOf returns the distinct error messages of recs ("" for a valid record).
func errorsOf(recs []*record.Record) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range recs {
		msg := ""
		if r.Error != nil {
			msg = r.Error.Message
		}
		if !seen[msg] {
			seen[msg] = true
			out = append(out, msg)
		}
	}
	return out
}

// expectOutcome checks every record is valid (want == "") or that all failed
// with one error message containing want.
func expectOutcome(t *testing.T, recs []*record.Record, want string) {
	t.Helper()
	errs := errorsOf(recs)
	if want == "" {
		if len(errs) != 1 || errs[0] != "" {
			t.Fatalf("want every request to succeed, got errors %q", errs)
		}
		return
	}
	for _, e := range errs {
		if !strings.Contains(e, want) {
			t.Fatalf("want every request to fail with an error containing %q, got %q", want, errs)
		}
	}
	if recs[0].Reason != record.ReasonConnection {
		t.Errorf("reason %q, want connection", recs[0].Reason)
	}
}

// The mock behind TLS (a CA made here) and mutual TLS: each setting either
// works, with TLS handshakes in the phases, or fails with one clear error.
func TestTLSAndMTLS(t *testing.T) {
	ca, clientCA, otherCA := testkit.NewCA(t, "server"), testkit.NewCA(t, "clients"), testkit.NewCA(t, "other")
	good, wrong := clientCA.IssueClient(t, t.TempDir(), "client"), otherCA.IssueClient(t, t.TempDir(), "intruder")
	plain := tlsServer(t, mock(nil), ca, nil)
	mutual := tlsServer(t, mock(nil), ca, clientCA)
	cases := []struct {
		name string
		url  string
		set  func(o *options.Options)
		want string // "" = every request succeeds
	}{
		{"CA file", plain.URL, func(o *options.Options) { o.TLSCAFile = ca.File }, ""},
		{"unknown CA", plain.URL, nil, "certificate signed by unknown authority"},
		{"other CA file", plain.URL, func(o *options.Options) { o.TLSCAFile = otherCA.File }, "certificate signed by unknown authority"},
		{"skip verify", plain.URL, func(o *options.Options) { o.TLSInsecureSkipVerify = true }, ""},
		{"server name in the certificate", plain.URL, func(o *options.Options) {
			o.TLSCAFile, o.TLSServerName = ca.File, "llm.internal"
		}, ""},
		{"server name not in the certificate", plain.URL, func(o *options.Options) {
			o.TLSCAFile, o.TLSServerName = ca.File, "other.internal"
		}, "not other.internal"},
		{"mTLS with the client certificate", mutual.URL, func(o *options.Options) {
			o.TLSCAFile, o.TLSCertFile, o.TLSKeyFile = ca.File, good.CertFile, good.KeyFile
		}, ""},
		{"mTLS with a certificate of another CA", mutual.URL, func(o *options.Options) {
			o.TLSCAFile, o.TLSCertFile, o.TLSKeyFile = ca.File, wrong.CertFile, wrong.KeyFile
		}, "server rejected the client certificate"},
		{"mTLS without a client certificate", mutual.URL, func(o *options.Options) { o.TLSCAFile = ca.File },
			"server rejected the client certificate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			recs, err := hcRun(t, hcOptions(t, c.set, c.url))
			if err != nil {
				t.Fatal(err)
			}
			expectOutcome(t, recs, c.want)
			if c.want == "" {
				checkPhases(t, recs, true)
			}
		})
	}
}

// Bad TLS settings fail at start with one line naming the flag or the file.
func TestTLSSettingErrors(t *testing.T) {
	ca := testkit.NewCA(t, "server")
	cert := ca.IssueClient(t, t.TempDir(), "client")
	notPEM := filepath.Join(t.TempDir(), "ca.txt")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		set  func(o *options.Options)
		want []string
	}{
		{"missing CA file", func(o *options.Options) { o.TLSCAFile = "/nonexistent/ca.pem" }, []string{"/nonexistent/ca.pem"}},
		{"CA file not PEM", func(o *options.Options) { o.TLSCAFile = notPEM }, []string{notPEM}},
		{"cert without key", func(o *options.Options) { o.TLSCertFile = cert.CertFile }, []string{"--tls-cert-file", "key"}},
		{"key of another cert", func(o *options.Options) {
			o.TLSCertFile, o.TLSKeyFile = cert.CertFile, ca.IssueClient(t, t.TempDir(), "x").KeyFile
		}, []string{cert.CertFile}},
		{"bad proxy URL", func(o *options.Options) { o.ProxyURL = "ftp://u:hunter2@proxy" }, []string{"--proxy-url", "redacted"}},
		{"basic auth and API key", func(o *options.Options) {
			o.BasicAuthUsername, o.APIKey = "u", "k"
		}, []string{"--basic-auth-username", "--api-key"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := probe.ConfigFrom(hcOptions(t, c.set, "https://127.0.0.1:1"), "test")
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			if strings.Contains(msg, "\n") || strings.Contains(msg, "hunter2") {
				t.Errorf("error %q is not one line, or leaks a secret", msg)
			}
		})
	}
}

// Through an HTTP proxy on loopback: CONNECT for https, forwarding for http;
// a refusing or absent proxy is one clear error naming the proxy.
func TestProxy(t *testing.T) {
	ca := testkit.NewCA(t, "server")
	secure := tlsServer(t, mock(nil), ca, nil)
	plain := httptest.NewServer(mock(nil))
	t.Cleanup(plain.Close)
	ok := &testProxy{}
	okURL := startProxy(t, ok)
	refusing := startProxy(t, &testProxy{refuse: true})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + l.Addr().String()
	l.Close()

	cases := []struct {
		name, url, proxy, file string
		want                   string
		connects, forwards     int64
	}{
		{name: "CONNECT to https", url: secure.URL, proxy: okURL, connects: 1},
		{name: "forward to http", url: plain.URL, proxy: okURL, forwards: 6},
		{name: "proxy from the http config file", url: secure.URL, file: "proxy_url: " + okURL + "\n", connects: 1},
		{name: "proxy refuses", url: secure.URL, proxy: refusing, want: "proxy " + strings.TrimPrefix(refusing, "http://") + ": Forbidden"},
		{name: "proxy down", url: secure.URL, proxy: down, want: "proxy " + strings.TrimPrefix(down, "http://") + ": proxyconnect"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c0, f0 := ok.connects.Load(), ok.forwards.Load()
			o := hcOptions(t, func(o *options.Options) {
				o.TLSCAFile, o.ProxyURL = ca.File, c.proxy
				if c.file != "" {
					o.HTTPConfigFile = filepath.Join(t.TempDir(), "http.yml")
					if err := os.WriteFile(o.HTTPConfigFile, []byte(c.file), 0o600); err != nil {
						t.Fatal(err)
					}
				}
			}, c.url)
			recs, err := hcRun(t, o)
			if err != nil {
				t.Fatal(err)
			}
			expectOutcome(t, recs, c.want)
			if c.want != "" {
				return
			}
			checkPhases(t, recs, strings.HasPrefix(c.url, "https"))
			// Tunnels are reused (at least one, at most one per request); every
			// request is forwarded.
			if got := ok.connects.Load() - c0; c.connects > 0 && (got < 1 || got > int64(len(recs))) {
				t.Errorf("%d CONNECTs for %d requests", got, len(recs))
			}
			if got := ok.forwards.Load() - f0; got != c.forwards {
				t.Errorf("%d forwarded requests, want %d", got, c.forwards)
			}
		})
	}
}

// Basic auth with a password file: the password is sent, a rotated file is
// picked up by the running client, and the password appears in no record.
func TestBasicAuthPasswordFileRotation(t *testing.T) {
	var want atomic.Value
	want.Store("planted-pw-1")
	var denied atomic.Int64
	srv := httptest.NewServer(mock(func(w http.ResponseWriter, r *http.Request) bool {
		u, p, ok := r.BasicAuth()
		if !ok || u != "probe" || p != want.Load().(string) {
			denied.Add(1)
			http.Error(w, "bad credentials", http.StatusUnauthorized)
			return false
		}
		return true
	}))
	t.Cleanup(srv.Close)
	pwFile := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pwFile, []byte("planted-pw-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o := hcOptions(t, func(o *options.Options) {
		o.BasicAuthUsername, o.BasicAuthPasswordFile = "probe", pwFile
	}, srv.URL)
	cfg, err := probe.ConfigFrom(o, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer cfg.Client.CloseIdleConnections()
	all := hcRunConfig(t, o, cfg)
	expectOutcome(t, all, "")

	want.Store("planted-pw-2")
	if err := os.WriteFile(pwFile, []byte("planted-pw-2"), 0o600); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		recs := hcRunConfig(t, o, cfg)
		all = append(all, recs...)
		if errorsOf(recs)[0] == "" && len(errorsOf(recs)) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("rotated password never used: %q", errorsOf(recs))
		}
		time.Sleep(200 * time.Millisecond)
	}
	b, err := json.Marshal(all)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "planted-pw") {
		t.Fatal("a record carries the password")
	}
}

// --url given twice goes round robin; each record names its target by its
// configured name, never with the credentials of the URL.
func TestSeveralTargets(t *testing.T) {
	var hits [2]atomic.Int64
	srvs := make([]*httptest.Server, 2)
	for i := range srvs {
		srvs[i] = httptest.NewServer(mock(func(http.ResponseWriter, *http.Request) bool { hits[i].Add(1); return true }))
		t.Cleanup(srvs[i].Close)
	}
	withCreds := strings.Replace(srvs[1].URL, "http://", "http://user:hunter2@", 1)
	recs, err := hcRun(t, hcOptions(t, nil, srvs[0].URL, withCreds))
	if err != nil {
		t.Fatal(err)
	}
	expectOutcome(t, recs, "")
	if hits[0].Load() != 3 || hits[1].Load() != 3 {
		t.Errorf("hits %d and %d, want 3 and 3", hits[0].Load(), hits[1].Load())
	}
	names := map[string]int{}
	for _, r := range recs {
		names[r.Target]++
	}
	want0, want1 := "0:"+strings.TrimPrefix(srvs[0].URL, "http://"), "1:"+strings.TrimPrefix(srvs[1].URL, "http://")
	if names[want0] != 3 || names[want1] != 3 || len(names) != 2 {
		t.Errorf("targets %v, want %s and %s three times each", names, want0, want1)
	}
	b, _ := json.Marshal(recs)
	if strings.Contains(string(b), "hunter2") || strings.Contains(string(b), "user:") {
		t.Error("a record carries the URL's credentials")
	}
}

// A --url query (Azure's ?api-version=) reaches the server as the query of
// every request, after the endpoint path; a secret in it (api-key) never shows
// in a record's error, though net/http puts the URL into its errors.
func TestURLQueryKeptAndRedacted(t *testing.T) {
	var bad atomic.Int64
	srv := httptest.NewServer(mock(func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/v1/chat/completions" || r.URL.Query().Get("api-version") != "2024-06-01" {
			bad.Add(1)
		}
		return true
	}))
	t.Cleanup(srv.Close)
	recs, err := hcRun(t, hcOptions(t, nil, srv.URL+"/?api-version=2024-06-01&api-key=pw-planted"))
	if err != nil {
		t.Fatal(err)
	}
	expectOutcome(t, recs, "")
	if bad.Load() != 0 {
		t.Errorf("%d requests lost the query or got a wrong path", bad.Load())
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close() // nothing listens: every request fails with net/http's error, URL included
	recs, err = hcRun(t, hcOptions(t, nil, "http://"+closed+"/?api-version=1&api-key=pw-planted"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errorsOf(recs) {
		if e == "" || strings.Contains(e, "pw-planted") || !strings.Contains(e, "api-key=redacted") {
			t.Errorf("error %q: want the URL with its api-key redacted", e)
		}
	}
}

// Connections are counted where they are opened: the first handshake the
// server sees is slow, so the request that dialed it gets another request's
// connection meanwhile (net/http hands the slow one to a later request). The
// records' new connections equal the connections the server served requests
// on; no record carries DNS/connect/TLS phases of a dial it did not use; a
// request that never had a connection counts none.
func TestConnectionsCountedAtDial(t *testing.T) {
	ca := testkit.NewCA(t, "server")
	var handshakes atomic.Int64
	var mu sync.Mutex
	served := map[string]bool{} // client address of each connection that carried a request
	srv := httptest.NewUnstartedServer(mock(func(_ http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		served[r.RemoteAddr] = true
		mu.Unlock()
		return true
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{ca.IssueServer(t, t.TempDir(), "server").TLS},
		GetConfigForClient: func(*tls.ClientHelloInfo) (*tls.Config, error) {
			if handshakes.Add(1) == 1 {
				time.Sleep(500 * time.Millisecond)
			}
			return nil, nil
		}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)

	o := hcOptions(t, func(o *options.Options) { o.TLSCAFile, o.Concurrency, o.RequestCount = ca.File, 4, 40 }, srv.URL)
	recs, err := hcRun(t, o)
	if err != nil {
		t.Fatal(err)
	}
	expectOutcome(t, recs, "")
	opened := 0
	for _, r := range recs {
		p := r.HTTPPhases
		if !p.ConnReused {
			opened++
		} else if p.DNS != 0 || p.Connect != 0 || p.TLS != 0 {
			t.Errorf("request on a reused connection carries dial phases: %+v", *p)
		}
	}
	mu.Lock()
	want := len(served)
	mu.Unlock()
	if opened != want {
		t.Errorf("records count %d new connections, the server served requests on %d", opened, want)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	ln.Close()
	recs, err = hcRun(t, hcOptions(t, nil, "http://"+closed))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.HTTPPhases != nil && !r.HTTPPhases.ConnReused {
			t.Errorf("a refused request counts a new connection: %+v", r.Error)
		}
	}
}
