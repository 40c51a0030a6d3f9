package otel

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// A real Prometheus with its OTLP receiver on (3.0 and later) takes the
// pushes and answers queries on them. Debian's 2.42 has no receiver: the
// test then skips.
func TestPrometheusOTLPReceiver(t *testing.T) {
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		t.Skip("prometheus not installed")
	}
	help, _ := exec.Command(bin, "--help").CombinedOutput()
	if !strings.Contains(string(help), "web.enable-otlp-receiver") {
		t.Skip("this prometheus has no --web.enable-otlp-receiver (3.0 or later needed)")
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte("global: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := testkit.FreeAddr(t)
	cmd := exec.Command(bin, "--config.file="+cfg, "--storage.tsdb.path="+filepath.Join(dir, "data"), "--web.listen-address="+addr,
		"--web.enable-otlp-receiver", "--log.level=warn")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := "http://" + addr
	waitFor(t, func() bool {
		resp, err := http.Get(base + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})

	endpoint, _ := NormalizeURL(base + "/api/v1/otlp")
	s := New(Config{URL: endpoint, Metrics: true, Timing: true}, RunInfo{EndpointType: "chat", Model: "m"})
	for _, id := range []string{"a", "b", "c"} {
		r := streamed(id, 100, 300, 3)
		s.Sent(r)
		s.Add(r)
	}
	if err := s.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	for query, want := range map[string]float64{
		`sum({__name__=~"gen_ai_client_operation_duration.*_count"})`: 3,
		`sum({__name__=~"aiperf_timing_requests_completed.*"})`:       3,
	} {
		var got float64
		waitFor(t, func() bool {
			v, ok := scalar(base, query)
			got = v
			return ok && v == want
		})
		if got != want {
			t.Errorf("%s = %g, want %g", query, got, want)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if cond() {
			return
		}
	}
}

func scalar(base, query string) (float64, bool) {
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(query))
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Result []struct {
				Value [2]json.RawMessage `json:"value"` // [time, "value"]
			} `json:"result"`
		} `json:"data"`
	}
	if json.NewDecoder(resp.Body).Decode(&out) != nil || len(out.Data.Result) != 1 {
		return 0, false
	}
	var s string
	if json.Unmarshal(out.Data.Result[0].Value[1], &s) != nil {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}
