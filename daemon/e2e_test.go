package daemon

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/collector"
	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

const prometheusBin = "/usr/bin/prometheus"

// The daemon against the mock server (TTFT 100 ms, ITL 10 ms), scraped every
// second by a real Prometheus, answers PromQL as a user's dashboard would ask it.
func TestEndToEndWithPrometheus(t *testing.T) {
	if _, err := os.Stat(prometheusBin); err != nil {
		t.Skipf("prometheus not installed at %s: %v", prometheusBin, err)
	}
	if testing.Short() {
		t.Skip("end-to-end test takes about half a minute")
	}
	mockCfg := mockserver.Config{TTFT: 100 * time.Millisecond, ITL: 10 * time.Millisecond, Seed: 1}
	mock := mocktest.Start(t, mockCfg)

	o, s := e2eOptions(t, mock.URL)
	daemonAddr := strings.TrimPrefix(startApp(t, o, s).base, "http://")
	prom := startPrometheus(t, daemonAddr)

	slowly(t, "a successful scrape", func() bool { v, ok := prom.scalar(t, `up{job="aiperf"}`); return ok && v == 1 })
	ttftBuckets := `aiperf_time_to_first_token_seconds_bucket{scenario="e2e"}`
	slowly(t, "ten requests in the rate window", func() bool {
		v, ok := prom.scalar(t, `sum(increase(aiperf_time_to_first_token_seconds_count[30s]))`)
		return ok && v >= 10
	})
	before, _ := prom.scalar(t, `sum(aiperf_requests_total{outcome="success"})`)

	// The median lands in the bucket holding the true TTFT (just above 100 ms), and
	// the mean is within 5 ms of 100 ms. Load on a shared machine can push single
	// requests late, so both are retried for a while; a wrong unit or bucket never passes.
	var q, mean float64
	slowly(t, "TTFT median in the 100 ms bucket and mean within 5 ms", func() bool {
		var ok1, ok2 bool
		q, ok1 = prom.scalar(t, `histogram_quantile(0.5, sum by (le) (rate(`+ttftBuckets+`[20s])))`)
		mean, ok2 = prom.scalar(t, `sum(rate(aiperf_time_to_first_token_seconds_sum[20s])) / sum(rate(aiperf_time_to_first_token_seconds_count[20s]))`)
		lo, hi := bucketOf(collector.TTFTBuckets, mean)
		t.Logf("median %.4f s, mean %.4f s (bucket %v..%v]", q, mean, lo, hi)
		return ok1 && ok2 && q > lo && q <= hi && mean >= 0.1 && mean-0.1 <= 0.005
	})
	if lo, hi := bucketOf(collector.TTFTBuckets, 0.1005); lo != 0.1 || hi != 0.15 {
		t.Fatalf("bucket layout changed: 100.5 ms in (%v, %v]", lo, hi)
	}

	slowly(t, "requests_total to grow", func() bool {
		after, ok := prom.scalar(t, `sum(aiperf_requests_total{outcome="success"})`)
		return ok && after > before
	})
	if errs, ok := prom.scalar(t, `sum(aiperf_request_errors_total)`); !ok || errs != 0 {
		t.Fatalf("errors while the mock is healthy: %v (present %v)", errs, ok)
	}

	// The mock now fails every request: the http_5xx counter grows, the daemon keeps answering.
	failing := mockCfg
	failing.Faults.Error500 = 1
	mock.Server.Configure(failing)
	slowly(t, "http_5xx errors in Prometheus", func() bool {
		v, ok := prom.scalar(t, `sum(aiperf_request_errors_total{reason="http_5xx"})`)
		return ok && v >= 3
	})
	for _, path := range []string{"/-/healthy", "/-/ready", "/metrics", "/"} {
		resp, err := http.Get("http://" + daemonAddr + path)
		if err != nil {
			t.Fatalf("%s while the target fails: %v", path, err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s while the target fails: %d", path, resp.StatusCode)
		}
	}
}

func e2eOptions(t *testing.T, target string) (*options.Options, *options.Serve) {
	t.Helper()
	args := []string{"--model", "mock-model", "--url", target, "--streaming", "--concurrency", "2",
		"--isl", "20", "--osl", "10", "--audio-length-mean", "0.5", "--random-seed", "7",
		"--scenario", "e2e", "--shutdown.grace-period", "2"}
	return validOptions(t, args...)
}

// bucketOf returns the classic bucket (lo, hi] that holds v.
func bucketOf(edges []float64, v float64) (lo, hi float64) {
	for _, e := range edges {
		if v <= e {
			return lo, e
		}
		lo = e
	}
	return lo, lo
}

// slowly waits for a condition that depends on Prometheus's scrapes, generously.
func slowly(t *testing.T, what string, cond func() bool) {
	t.Helper()
	eventually(t, 90*time.Second, 250*time.Millisecond, what, cond)
}

type promServer struct{ base string }

// startPrometheus runs a real Prometheus scraping target every second, with its
// storage in a temporary directory; it is killed when the test ends.
func startPrometheus(t *testing.T, target string) *promServer {
	t.Helper()
	dir := t.TempDir()
	cfg := fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: aiperf
    scrape_interval: 1s
    scrape_timeout: 1s
    static_configs:
      - targets: ['%s']
`, target)
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := testkit.FreeAddr(t)
	cmd := exec.Command(prometheusBin, "--config.file="+cfgPath, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	logf, err := os.Create(filepath.Join(dir, "prometheus.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logf.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logf.Name())
			t.Logf("prometheus log:\n%s", b)
		}
	})
	p := &promServer{base: "http://" + addr}
	slowly(t, "prometheus to be ready", func() bool {
		resp, err := http.Get(p.base + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	return p
}

// scalar runs an instant query and returns the value of its single sample.
func (p *promServer) scalar(t *testing.T, query string) (float64, bool) {
	t.Helper()
	resp, err := http.Get(p.base + "/api/v1/query?query=" + url.QueryEscape(query))
	if err != nil {
		t.Fatalf("query %s: %v", query, err)
	}
	defer resp.Body.Close()
	var out struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("query %s: decode: %v", query, err)
	}
	if out.Status != "success" {
		t.Fatalf("query %s: %s", query, out.Error)
	}
	if len(out.Data.Result) != 1 {
		return 0, false
	}
	s, _ := out.Data.Result[0].Value[1].(string)
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}
