package daemon_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/daemon"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// The daemon probes a target behind basic auth with a password file; the
// password is sent (requests succeed) yet appears in no log line (debug level),
// page or metric.
func TestPlantedPasswordNeverShown(t *testing.T) {
	const planted = "planted-Pw-7f3a9c"
	pwFile := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pwFile, []byte(planted+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	m := mockserver.New(mockserver.Config{TTFT: 5 * time.Millisecond, ITL: time.Millisecond, Seed: 1}, nil)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "probe" || p != planted {
			http.Error(w, "bad credentials", http.StatusUnauthorized)
			return
		}
		m.ServeHTTP(w, r)
	}))
	defer target.Close()

	var o options.Options
	var s options.Serve
	testkit.ParseFlags(t, []string{"--model", "m", "--url", target.URL, "--streaming", "--concurrency", "1",
		"--synthetic-input-tokens-mean", "8", "--output-tokens-mean", "4", "--num-dataset-entries", "2",
		"--basic-auth-username", "probe", "--basic-auth-password-file", pwFile,
		"--log.level", "debug", "--log.format", "json", "--shutdown.grace-period", "1"}, &o, &s)
	if err := o.Validate(); err != nil {
		t.Fatal(err)
	}
	var logs testkit.SyncBuffer
	log, err := daemon.NewLogger(&logs, s.LogLevel, s.LogFormat)
	if err != nil {
		t.Fatal(err)
	}
	app, err := daemon.NewApp(&o, &s, log)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx, []net.Listener{l}) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("daemon: %v", err)
		}
		if strings.Contains(logs.String(), planted) {
			t.Errorf("the password is in the log")
		}
	}()

	success := regexp.MustCompile(`aiperf_requests_total\{[^}]*outcome="success"[^}]*\} ([1-9]|\d{2,})`)
	var metrics string
	for deadline := time.Now().Add(30 * time.Second); !success.MatchString(metrics); {
		if time.Now().After(deadline) {
			t.Fatalf("no successful request; errors:\n%s", grepLines(metrics, "aiperf_request_errors_total"))
		}
		time.Sleep(100 * time.Millisecond)
		metrics = get(t, base+"/metrics")
	}
	for _, re := range []string{`aiperf_http_new_connections_total\{[^}]*target="127\.0\.0\.1:\d+"[^}]*\} [1-9]`,
		`aiperf_http_phase_duration_seconds_count\{[^}]*phase="request_written"[^}]*\} [1-9]`} {
		if !regexp.MustCompile(re).MatchString(metrics) {
			t.Errorf("no series matches %s", re)
		}
	}
	for _, page := range []string{"/", "/metrics", "/-/ready", "/-/healthy"} {
		if body := get(t, base+page); strings.Contains(body, planted) {
			t.Errorf("the password is on %s", page)
		}
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	_, body := testkit.Get(t, url, nil)
	return body
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) && !strings.HasSuffix(l, " 0") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
