package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// profile --mock scrapes the mock's vLLM-shaped /metrics and fake GPU,
// prints the client-versus-server tables and writes AIPerf's exports.
func TestProfileMockPrintsServerMetrics(t *testing.T) {
	out, dir := profileOK(t, "--mock", "--streaming", "--request-count", "8", "--concurrency", "2",
		"--mock.ttft", "5", "--mock.itl", "1", "--mock.output-tokens", "4", "--server-metrics-interval", "0.05")
	for _, want := range []string{"Client vs Server", "Server side from: vllm:time_to_first_token_seconds", "gap avg", "~", "Server State",
		"vllm:request_success_total", "GPU Telemetry", "Energy per Output Token (J)", "Server Metrics Export:"} {
		if !strings.Contains(out, want) {
			t.Errorf("console lacks %q", want)
		}
	}
	exp := readJSON(t, filepath.Join(dir, report.ServerMetricsJSONFile))
	ms := testkit.JSONAt[map[string]any](t, exp, "metrics")
	if total := testkit.JSONAt[any](t, ms, "vllm:request_success_total", "series", 0, "stats", "total"); total != 8.0 {
		t.Errorf("vllm:request_success_total increase %v, want the 8 requests sent", total)
	}
	ttft := testkit.JSONAt[map[string]any](t, ms, "vllm:time_to_first_token_seconds", "series", 0, "stats")
	if _, ok := ttft["p99_estimate"]; !ok || ttft["count"] != 8.0 {
		t.Errorf("TTFT stats %v, want count 8 and p99_estimate", ttft)
	}
	if _, ok := ms["DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"]; !ok {
		t.Error("no GPU energy in the export")
	}
	csv, err := os.ReadFile(filepath.Join(dir, report.ServerMetricsCSVFile))
	if err != nil || !strings.Contains(string(csv), "histogram,vllm:time_to_first_token_seconds,seconds,8,") {
		t.Errorf("CSV export lacks the TTFT histogram row (%v)", err)
	}
}

// A metrics endpoint that fails and returns garbage mid-run: the run and
// its client exports are intact, one warning is printed, and the
// server-metrics export says what is missing.
func TestProfileSurvivesBadMetricsEndpoint(t *testing.T) {
	m := mocktest.Start(t, mockserver.Config{TTFT: 2 * time.Millisecond, ITL: time.Millisecond, OutputTokens: 3})
	var n atomic.Int64
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		switch n.Add(1) {
		case 1:
			fmt.Fprint(w, "# TYPE vllm:num_preemptions_total counter\nvllm:num_preemptions_total 1\n")
		case 2:
			http.Error(w, "boom", http.StatusBadGateway)
		default:
			fmt.Fprint(w, "\x00\x01 this is not Prometheus text {{{\n")
		}
	}))
	defer bad.Close()
	code, out, errOut, dir := profileInDir(t, "--url", m.URL, "--model", "m", "--streaming", "--request-count", "6",
		"--server-metrics", bad.URL, "--server-metrics-interval", "0.02")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if c := strings.Count(errOut, "Warning: server metrics "+bad.URL); c != 1 {
		t.Errorf("%d warnings about the bad endpoint, want 1:\n%s", c, errOut)
	}
	exp := readJSON(t, filepath.Join(dir, report.JSONFile))
	if got := stat(t, exp, "request_count", "avg"); got != 6 {
		t.Errorf("client export request_count %v, want 6", got)
	}
	for _, f := range []string{report.CSVFile, report.JSONLFile} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("client export missing: %v", err)
		}
	}
	sm := readJSON(t, filepath.Join(dir, report.ServerMetricsJSONFile))
	info := testkit.JSONAt[map[string]any](t, sm, "summary", "endpoint_info", bad.URL+"/metrics")
	if testkit.JSONAt[float64](t, info, "failed_fetches") < 2 || info["last_error"] == nil {
		t.Errorf("endpoint_info %v, want the failed fetches and the last error", info)
	}
	if !strings.Contains(out, "Partly scraped: "+bad.URL) {
		t.Errorf("console does not say the endpoint was partly scraped:\n%s", out)
	}
	// The good endpoint (the mock's own /metrics) still counts every request.
	if !strings.Contains(out, "Server side from: vllm:time_to_first_token_seconds") {
		t.Error("the client-vs-server table is missing")
	}
}

func TestProfileServerMetricsBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--server-metrics-formats", "parquet"},
		{"--server-metrics-interval", "0"},
	} {
		code, _, errOut, _ := profileInDir(t, append([]string{"--mock", "--request-count", "1"}, args...)...)
		if code != 2 || !strings.Contains(errOut, "--"+strings.TrimPrefix(args[0], "--")) {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming the flag", args, code, errOut)
		}
	}
}
