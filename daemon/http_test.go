package daemon

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"golang.org/x/crypto/bcrypt"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// startHTTP serves d's handler on a loopback port and returns its base URL.
func startHTTP(t *testing.T, h http.Handler, webConfig string) string {
	t.Helper()
	ls, err := Listen([]string{"127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- Serve(ctx, ls, h, webConfig, Slog(zap.NewNop())) }()
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ls[0].Addr().String()
}

func get(t *testing.T, url string, header map[string]string) (int, string) {
	t.Helper()
	resp, body := testkit.Get(t, url, header)
	return resp.StatusCode, body
}

func TestEndpoints(t *testing.T) {
	f := &fakeEngine{workers: 1, took: time.Millisecond, gate: make(chan struct{}), fail: func(i int) bool { return i == 2 }}
	d, reg := newDaemon(t, f.run, time.Second, nil)
	base := startHTTP(t, NewHandler(reg, d.History, d.Ready), "")

	ctx, stop := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- d.Run(ctx) }()
	defer func() { stop(); <-errc }()

	if code, _ := get(t, base+"/-/healthy", nil); code != 200 {
		t.Fatalf("healthy: %d", code)
	}
	if code, body := get(t, base+"/-/ready", nil); code != http.StatusServiceUnavailable {
		t.Fatalf("ready before any probe finished: %d %s", code, body)
	}
	if code, body := get(t, base+"/", nil); code != 200 || !strings.Contains(body, "No probe results yet") {
		t.Fatalf("landing page before probes: %d\n%s", code, body)
	}
	close(f.gate)
	waitFor(t, "three probes", func() bool { return f.finished.Load() >= 3 })
	if code, _ := get(t, base+"/-/ready", nil); code != 200 {
		t.Fatalf("ready after probes: %d", code)
	}
	code, body := get(t, base+"/", nil)
	for _, want := range []string{`href="metrics"`, "Scenario s", "req-0-1", "http_5xx", "mock failure", "success"} {
		if code != 200 || !strings.Contains(body, want) {
			t.Errorf("landing page lacks %q (status %d)", want, code)
		}
	}
	if code, _ := get(t, base+"/nope", nil); code != 404 {
		t.Errorf("unknown path: %d, want 404", code)
	}
	code, body = get(t, base+"/metrics", map[string]string{"Accept": "application/openmetrics-text; version=1.0.0"})
	if code != 200 || !strings.Contains(body, `aiperf_requests_total{model_name="m",outcome="error",scenario="s",target="t"} 1.0`) ||
		!strings.Contains(body, `aiperf_time_to_first_token_seconds_bucket{model_name="m",scenario="s",target="t",le="0.001"} `) ||
		!strings.Contains(body, `# {request_id="req-0-`) || !strings.HasSuffix(body, "# EOF\n") {
		t.Fatalf("metrics (OpenMetrics, with exemplars) not served: %d\n%s", code, grep(body, "aiperf_requests_total", "request_id", "EOF"))
	}
}

// TLS and basic auth come from the exporter-toolkit web config file.
func TestWebConfigBasicAuth(t *testing.T) {
	cfg := basicAuthWebConfig(t)
	d, reg := newDaemon(t, (&fakeEngine{}).run, time.Second, nil)
	base := startHTTP(t, NewHandler(reg, d.History, d.Ready), cfg)
	if code, _ := get(t, base+"/metrics", nil); code != http.StatusUnauthorized {
		t.Fatalf("without credentials: %d, want 401", code)
	}
	req, _ := http.NewRequest(http.MethodGet, base+"/metrics", nil)
	req.SetBasicAuth("prom", "s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("with credentials: %d, want 200", resp.StatusCode)
	}
}

// basicAuthWebConfig writes a --web.config.file with one basic-auth user,
// prom with password s3cret, and returns its path.
func basicAuthWebConfig(t *testing.T) string {
	t.Helper()
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "web.yml")
	if err := os.WriteFile(path, []byte("basic_auth_users:\n  prom: "+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// grep is the lines of text that contain any of subs, for failure messages.
func grep(text string, subs ...string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		for _, s := range subs {
			if strings.Contains(l, s) {
				out = append(out, l)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}
