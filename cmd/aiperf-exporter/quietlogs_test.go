package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// At 30 % failures and concurrency 32 (some 1,350 warn lines a second before),
// serve logs the failures once per target and reason at warn level, not once
// per probe.
func TestServeLogIsQuietUnderFailures(t *testing.T) {
	base, logs := startServe(t, "--mock", "--mock.error-rate", "0.3", "--mock.ttft", "1", "--mock.itl", "1",
		"--concurrency", "32", "--isl", "4")
	body := waitMetrics(t, base, logs, "300 failed probes", func(s string) bool {
		n, _ := sampleSum(s, `aiperf_request_errors_total{model_name="mock-model",reason="http_5xx",scenario="default",target="mock"}`)
		return n >= 300
	})
	failures, _ := sampleSum(body, `aiperf_request_errors_total{model_name="mock-model",reason="http_5xx",scenario="default",target="mock"}`)
	warns := strings.Count(logs.String(), `"level":"warn"`)
	if warns < 1 || warns > 3 {
		t.Errorf("%d warn lines for %.0f failed probes, want the first one and no more than a summary or two:\n%.3000s",
			warns, failures, logs.String())
	}
	if strings.Contains(logs.String(), `"level":"debug"`) {
		t.Error("debug lines at the default info level")
	}
}

// A server that echoes the request's credentials and a forged log line in its
// error body: serve masks every credential in its logs and on its landing
// page, and the log stays one entry per line.
func TestServeMasksEchoedCredentials(t *testing.T) {
	key, header, pass := plantedKey(t), plantedKey(t), plantedKey(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, "denied: Authorization=%s X-Api-Key=%s\n2026-01-01T00:00:00.000Z\tERROR\tforged line",
			r.Header.Get("Authorization"), r.Header.Get("X-Api-Key"))
	}))
	defer srv.Close()
	u, _ := url.Parse(srv.URL)
	u.User = url.UserPassword("alice", pass)
	addr := testkit.FreeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr testkit.SyncBuffer
	done := make(chan int, 1)
	go func() {
		done <- serve(ctx, []string{"--model", "m", "--url", "echo=" + u.String(), "--concurrency", "1", "--isl", "4",
			"--api-key", key, "-H", "X-Api-Key: " + header, "--web.listen-address", addr, "--log.level", "debug",
			"--shutdown.grace-period", "0"}, &stdout, &stderr)
	}()
	base := "http://" + addr
	var logs testkit.SyncBuffer // waitMetrics wants one; serve's own is stderr
	waitMetrics(t, base, &logs, "failed probes", func(s string) bool { return nonZero(s, `reason="http_4xx"`) })
	_, landing := httpGet(t, base+"/")
	cancel()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	out := stderr.String()
	if !strings.Contains(landing, "denied: Authorization=") || !strings.Contains(out, "denied: Authorization=") {
		t.Fatalf("the echo is neither on the page nor in the logs:\n%.2000s", out)
	}
	basic := base64.StdEncoding.EncodeToString([]byte("alice:" + pass))
	for _, secret := range []string{key, header, pass, basic} {
		assertNoKey(t, secret, map[string]string{"landing page": landing, "logs": out})
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(line, "2026-01-01T00:00:00.000Z") {
			t.Errorf("a forged log line: %q", line)
		}
	}
}
