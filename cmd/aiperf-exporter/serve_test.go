package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

func TestServeHelpListsEveryVariable(t *testing.T) {
	var out, errb bytes.Buffer
	if code := serve(context.Background(), []string{"--help"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"AIPERF_URL", "AIPERF_AUDIO_LENGTH_MEAN", "AIPERF_WEB_LISTEN_ADDRESS", ":9803",
		"AIPERF_CONCURRENCY", "-web.listen-address", "-audio-length-mean", "--mock.itl float", "AIPERF_MOCK_ITL"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("serve --help lacks %q", want)
		}
	}
}

func TestServeBadSettingsFailAtStart(t *testing.T) {
	cases := []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"AIPERF_CONCURRENCY": "lots"}, []string{"--mock"}, "AIPERF_CONCURRENCY"},
		{map[string]string{"AIPERF_AUDIO_SAMPLE_RATES": "0"}, []string{"--mock"}, "AIPERF_AUDIO_SAMPLE_RATES"},
		{nil, []string{"--mock", "--log.level", "loud"}, "AIPERF_LOG_LEVEL"},
		{nil, []string{"--url", "127.0.0.1:1"}, "AIPERF_MODEL"},
		{nil, []string{"--mock", "--web.history-size", "1000000"}, "AIPERF_WEB_HISTORY_SIZE"},
		{nil, []string{"--url", "127.0.0.1:", "--model", "m"}, "empty port"},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v) // restored when the subtest ends
			}
			var out, errb bytes.Buffer
			code := serve(context.Background(), c.args, &out, &errb)
			if code != 2 || !strings.Contains(errb.String(), c.want) || strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 {
				t.Errorf("%v %v: exit %d, stderr %q; want exit 2 and one line naming %s", c.env, c.args, code, errb.String(), c.want)
			}
		})
	}
}

// startServe runs serve with args on a loopback port until the test ends
// (the environment comes from the test's t.Setenv). It returns the base URL of
// /metrics and the daemon's JSON log.
//
// serve listens on port 0 and the address comes from its "serving" log line:
// a port picked free and released before serve listens could be taken in
// between by any of the connections the other tests open.
func startServe(t *testing.T, args ...string) (string, *testkit.SyncBuffer) {
	t.Helper()
	addrs, logs := startServeAddrs(t, args...)
	return "http://" + addrs[0], logs
}

// startServeAddrs is startServe returning every address serve listens on, in
// the order of the --web.listen-address flags (startServe's own first).
func startServeAddrs(t *testing.T, args ...string) ([]string, *testkit.SyncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr testkit.SyncBuffer
	done := make(chan int, 1)
	all := append([]string{"--web.listen-address", "127.0.0.1:0", "--log.format", "json", "--shutdown.grace-period", "0"}, args...)
	go func() { done <- serve(ctx, all, &stdout, &stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve %v exited %d; logs:\n%s", args, code, stderr.String())
			}
		case <-time.After(30 * time.Second):
			t.Error("serve did not stop within 30 s")
		}
	})
	return waitServing(t, &stderr), &stderr
}

// waitServing waits (30 s at most) for serve's JSON "serving" log line and
// returns the addresses it names.
func waitServing(t *testing.T, logs *testkit.SyncBuffer) []string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, l := range strings.Split(logs.String(), "\n") {
			var entry struct {
				Msg     string   `json:"msg"`
				Address []string `json:"address"`
			}
			if json.Unmarshal([]byte(l), &entry) == nil && entry.Msg == "serving" && len(entry.Address) > 0 {
				return entry.Address
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no \"serving\" log line with addresses within 30 s in:\n%.3000s", logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitMetrics polls /metrics until ok accepts the exposition (60 s at most).
func waitMetrics(t *testing.T, base string, logs *testkit.SyncBuffer, what string, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, body := httpGet(t, base+"/metrics")
		if code == http.StatusOK && ok(body) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s on /metrics within 60 s; last:\n%.3000s\nlogs:\n%.3000s", what, body, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// sampleSum adds up every sample of the named series (all label sets).
func sampleSum(exposition, name string) (float64, bool) {
	var sum float64
	found := false
	for _, l := range strings.Split(exposition, "\n") {
		if !strings.HasPrefix(l, name+"{") && !strings.HasPrefix(l, name+" ") {
			continue
		}
		v, err := strconv.ParseFloat(l[strings.LastIndexByte(l, ' ')+1:], 64)
		if err == nil {
			sum, found = sum+v, true
		}
	}
	return sum, found
}

// waitLogField waits (30 s at most) for a JSON log line whose msg is msg and
// returns its field.
func waitLogField(t *testing.T, logs *testkit.SyncBuffer, msg, field string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		for _, l := range strings.Split(logs.String(), "\n") {
			var entry map[string]any
			if json.Unmarshal([]byte(l), &entry) == nil && entry["msg"] == msg {
				if s, ok := entry[field].(string); ok {
					return s
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q log line with %s within 30 s in:\n%.3000s", msg, field, logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// `serve --mock` takes the same --mock.* flags as profile (the README presents
// them as shaping the embedded mock), and their AIPERF_MOCK_* variables, with
// flags winning: the mock's own /configure and the measured ITL both show it.
func TestServeMockFlags(t *testing.T) {
	t.Setenv("AIPERF_MOCK_ITL", "5")   // overridden by --mock.itl below
	t.Setenv("AIPERF_MOCK_TTFT", "30") // no flag: the environment applies
	base, logs := startServe(t, "--mock", "--mock.itl", "50", "--streaming", "--output-tokens-mean", "4",
		"--isl", "8", "--concurrency", "2")
	mockURL := waitLogField(t, logs, "mock server started", "url")
	code, body := httpGet(t, mockURL+"/configure")
	var cfg struct {
		TTFTms float64 `json:"ttft_ms"`
		ITLms  float64 `json:"itl_ms"`
	}
	if err := json.Unmarshal([]byte(body), &cfg); code != http.StatusOK || err != nil {
		t.Fatalf("GET %s/configure: %d %v %s", mockURL, code, err, body)
	}
	if cfg.ITLms != 50 || cfg.TTFTms != 30 {
		t.Fatalf("mock runs with TTFT %g ms, ITL %g ms; want 30 (AIPERF_MOCK_TTFT) and 50 (--mock.itl over AIPERF_MOCK_ITL=5)", cfg.TTFTms, cfg.ITLms)
	}
	const latency = "aiperf_request_latency_seconds"
	metrics := waitMetrics(t, base, logs, "request latencies", func(m string) bool {
		n, _ := sampleSum(m, latency+"_count")
		return n >= 2
	})
	sum, _ := sampleSum(metrics, latency+"_sum")
	n, _ := sampleSum(metrics, latency+"_count")
	// The mock keeps an absolute schedule from each request's arrival: its
	// 4th token leaves 30 + 3×50 = 180 ms after it, however loaded the
	// machine, so no request can take less; with the environment's 5 ms or
	// the default 10 ms it would be 45 or 60 ms. (The mean ITL was checked
	// before, but a first token late on a loaded machine makes the mock catch
	// up with shorter gaps after it.)
	if mean := sum / n; mean < 0.180 {
		t.Errorf("mean request latency %.1f ms over %g requests, want >= 180 (mock at TTFT 30 ms, ITL 50 ms, 4 tokens)", mean*1000, n)
	}
}

// Flags win over AIPERF_* variables in serve; variables apply where no flag is given.
func TestServeFlagsWinOverEnv(t *testing.T) {
	t.Setenv("AIPERF_CONCURRENCY", "7")
	t.Setenv("AIPERF_SCENARIO", "from-env")
	base, logs := startServe(t, "--mock", "--concurrency", "3", "--isl", "8", "--output-tokens-mean", "2")
	metrics := waitMetrics(t, base, logs, "aiperf_configured_concurrency", func(m string) bool {
		_, ok := sampleSum(m, "aiperf_configured_concurrency")
		return ok
	})
	if c, _ := sampleSum(metrics, "aiperf_configured_concurrency"); c != 3 {
		t.Errorf("aiperf_configured_concurrency %g, want 3 (--concurrency 3 over AIPERF_CONCURRENCY=7)", c)
	}
	if !strings.Contains(metrics, `scenario="from-env"`) {
		t.Errorf("AIPERF_SCENARIO=from-env not applied; metrics:\n%.2000s", metrics)
	}
}

// A bad AIPERF_MOCK_* value or --mock.* setting fails at start in one line.
func TestServeBadMockSettings(t *testing.T) {
	cases := []struct {
		env  string
		args []string
		want string
	}{
		{"abc", []string{"--mock"}, "AIPERF_MOCK_ITL"},
		{"", []string{"--mock", "--mock.ttft", "-5"}, "--mock."},
		{"", []string{"--mock", "--mock.itl", "slow"}, "-mock.itl"},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			if c.env != "" {
				t.Setenv("AIPERF_MOCK_ITL", c.env)
			}
			var out, errb bytes.Buffer
			code := serve(context.Background(), c.args, &out, &errb)
			if code != 2 || !strings.Contains(errb.String(), c.want) || strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 {
				t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line naming %s", c.args, code, errb.String(), c.want)
			}
		})
	}
}
