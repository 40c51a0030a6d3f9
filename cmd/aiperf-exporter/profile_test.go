package main

import (
	"bytes"
	"context"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	prof "github.com/aiperf-exporter/aiperf-exporter/profile"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// profileInDir runs `profile` in-process with the artifacts under a temp dir.
func profileInDir(t *testing.T, args ...string) (code int, stdout, stderr string, dir string) {
	t.Helper()
	base := t.TempDir()
	args = append(args, "--artifact-dir", base)
	var out, errb bytes.Buffer
	code = profile(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String(), base
}

// profileOK is profileInDir for a run that must succeed: it fails the test
// with the run's stderr unless the exit code is 0.
func profileOK(t *testing.T, args ...string) (stdout, dir string) {
	t.Helper()
	code, stdout, stderr, dir := profileInDir(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	return stdout, dir
}

// readJSON decodes the JSON object at path; read what it holds with testkit.JSONAt.
func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	return testkit.ReadJSON[map[string]any](t, path)
}

// errorEntry is one entry of the JSON export's error_summary.
type errorEntry struct {
	Count        int          `json:"count"`
	ErrorDetails record.Error `json:"error_details"`
}

// errorSummary reads the error_summary of the JSON export at path.
func errorSummary(t *testing.T, path string) []errorEntry {
	t.Helper()
	return testkit.ReadJSON[struct {
		ErrorSummary []errorEntry `json:"error_summary"`
	}](t, path).ErrorSummary
}

// stat is the JSON export's statistic key (avg, p99, ...) of the metric tag.
func stat(t *testing.T, export map[string]any, tag, key string) float64 {
	t.Helper()
	return testkit.JSONAt[float64](t, export, tag, key)
}

// The acceptance run: the mock at TTFT 200 ms / ITL 20 ms, AIPerf's seed
// flags, every artifact with AIPerf's names, the numbers near the truth. The
// tight comparison is with the mock's own send stamps: on a loaded CI machine
// the mock itself may send a few ms late, which is not a measuring error.
func TestProfileAgainstMockMatchesTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 20 streamed requests of ~1.2 s")
	}
	// A console wide enough that no metric name wraps: at the default 100
	// columns the name column shrinks when a loaded machine makes the numbers
	// wider (TTFT 1,132.73 ms), and "Time to First Token" splits over lines.
	// A terminal running the tests would set the width too.
	t.Setenv("COLUMNS", "250")
	m := mocktest.Start(t, mockserver.Config{TTFT: 200 * time.Millisecond, ITL: 20 * time.Millisecond})
	out, dir := profileOK(t,
		"--model", "Qwen/Qwen2.5-Omni-3B", "--endpoint-type", "chat", "--audio-length-mean", "5.0",
		"--audio-format", "wav", "--audio-sample-rates", "16", "--streaming", "--url", m.URL,
		"--request-count", "20", "--concurrency", "4", "--output-tokens-mean", "50", "--random-seed", "7",
		"--api-key", "sk-planted-secret")
	for _, want := range []string{"NVIDIA AIPerf | LLM Metrics", "Time to First Token", "Inter Token Latency",
		"(tokens/sec/user)", "Request Count", "N/A", "CLI Command: aiperf-exporter profile", "Benchmark Duration:",
		"CSV Export:", "JSON Export:", "Log File:", "'<redacted>'"} {
		if !strings.Contains(out, want) {
			t.Errorf("console lacks %q", want)
		}
	}
	if strings.Contains(out, "sk-planted-secret") {
		t.Fatal("the API key was echoed")
	}
	// Explicit --artifact-dir is used as-is, like AIPerf.
	for _, f := range []string{report.CSVFile, report.JSONFile, report.JSONLFile, report.InputsFile, "logs/aiperf.log"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing artifact: %v", err)
		}
	}
	exp := readJSON(t, filepath.Join(dir, report.JSONFile))
	if got := stat(t, exp, "request_count", "avg"); got != 20 {
		t.Errorf("request_count %v", got)
	}
	if got := stat(t, exp, "output_sequence_length", "min"); got != 50 || stat(t, exp, "output_sequence_length", "max") != 50 {
		t.Errorf("OSL min %v, want exactly 50", got)
	}
	ttft, itl := stat(t, exp, "time_to_first_token", "avg"), stat(t, exp, "inter_token_latency", "avg")
	// The export's averages are the requests' own values (a wrong unit or an
	// aggregation slip shows), which are checked against the mock's truth
	// below; and the mock never sends before 200 ms. No upper bound: a loaded
	// machine delays the mock's first token (seen: TTFT 2,639 ms at load 27)
	// and, as the mock keeps an absolute schedule, shortens the later gaps.
	recTTFT, recITL := recordMeans(t, dir)
	if ttft < 200 || math.Abs(ttft-recTTFT) > 1e-6*recTTFT || math.Abs(itl-recITL) > 1e-6*recITL {
		t.Errorf("TTFT avg %.4f ms, ITL avg %.4f ms in the export; the records give %.4f and %.4f ms, and the mock sends after 200 ms",
			ttft, itl, recTTFT, recITL)
	}
	// Per request, the measure against the mock's truth. The first stamp is
	// never before the write of the newest chunk in its read began (the client
	// cannot see a chunk before it left): the mock starts that write after its
	// stamp of the previous chunk, or, for the first, 200 ms after the request
	// arrived; 1 ms is left for the kernel's wall clock against Go's monotonic
	// one. (Against the mock's stamp of the chunk itself, taken after its write
	// returned, a mock held off the CPU in between looked like an early
	// client: -16.65 ms at load 28.) The median within 5 ms (TTFT, against the
	// last chunk of the first read: see truthGaps) and 1 ms (ITL). The median,
	// not the mean: one request whose reader was held off the CPU for 100 ms on
	// a loaded CI machine moves a mean of 20 by 5 ms.
	dTTFT, early, dITL := truthGaps(t, m, dir, 200*time.Millisecond)
	t.Logf("report TTFT %.3f ms, ITL %.3f ms; measure minus truth, median: TTFT %.3f ms, ITL %.3f ms",
		ttft, itl, median(dTTFT), median(dITL))
	if lo := slices.Max(early); lo > 1 {
		t.Errorf("a first response stamped %.2f ms before its chunk's write could begin", lo)
	}
	if med := median(dTTFT); med < -5 || med > 5 {
		t.Errorf("TTFT minus the mock's time of the first read's last chunk: median %.2f ms, want within 5 ms", med)
	}
	if med := median(dITL); med < -1 || med > 1 {
		t.Errorf("ITL minus the mock's chunk spacing: median %.2f ms, want within 1 ms", med)
	}
	if exp["was_cancelled"] != false {
		t.Errorf("was_cancelled %v", exp["was_cancelled"])
	}
	if testkit.JSONAt[any](t, exp, "input_config", "cli_command") == nil {
		t.Errorf("input_config without cli_command: %v", exp["input_config"])
	}
	// One JSONL line per request, AIPerf's shape.
	lines := readJSONLAs[struct {
		Metadata map[string]any `json:"metadata"`
		Metrics  map[string]any `json:"metrics"`
		Error    any            `json:"error"`
	}](t, dir)
	for _, line := range lines {
		if line.Metadata["x_request_id"] == "" || line.Metadata["benchmark_phase"] != "profiling" || line.Metrics["time_to_first_token"] == nil || line.Error != nil {
			t.Errorf("bad JSONL line %+v", line)
		}
	}
	if len(lines) != 20 {
		t.Errorf("%d JSONL lines, want 20", len(lines))
	}
	// inputs.json: 100 synthetic entries whose payloads carry text then audio.
	in := testkit.ReadJSON[struct {
		Data []struct {
			Payloads []struct {
				Messages []struct {
					Content []struct {
						Type string `json:"type"`
					} `json:"content"`
				} `json:"messages"`
				Stream              bool `json:"stream"`
				MaxCompletionTokens *int `json:"max_completion_tokens"`
			} `json:"payloads"`
		} `json:"data"`
	}](t, filepath.Join(dir, report.InputsFile))
	if len(in.Data) != 100 || len(in.Data[0].Payloads) == 0 || len(in.Data[0].Payloads[0].Messages) == 0 {
		t.Fatalf("inputs.json has %d entries, the first without a payload or a message", len(in.Data))
	}
	first := in.Data[0].Payloads[0]
	content := first.Messages[0].Content
	if len(content) != 2 || content[0].Type != "text" || content[1].Type != "input_audio" || !first.Stream || first.MaxCompletionTokens == nil {
		t.Errorf("payload shape %+v", first)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, report.CSVFile))
	if !bytes.HasPrefix(csv, []byte("Metric,avg,min,max,sum,p1,p5,p10,p25,p50,p75,p90,p95,p99,std")) {
		t.Errorf("CSV header: %.80s", csv)
	}
}

func TestProfileBadFlags(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--model", "m", "--endpoint-type", "no_such_type"}, "--endpoint-type"},
		{[]string{"--model", "m", "--concurrency", "-2"}, "--concurrency"},
		{[]string{"--model", "m", "--audio-length-mean", "1", "--audio-sample-rates", "0"}, "--audio-sample-rates"},
		{[]string{"--streaming"}, "--model"},
		{[]string{"--model", "m", "--no-such-flag"}, "no-such-flag"},
		{[]string{"--model", "m", "--concurrency", "four"}, "four"},
		{[]string{"--model", "m", "--goodput", "time_to_first_token"}, "--goodput"},
		{[]string{"--model", "m", "--export-level", "everything"}, "--export-level"},
		{[]string{"--model", "m", "--export-level", "summary", "--plot"}, "--plot"},
		{[]string{"--model", "m", "--session-turns-mean", "0"}, "--conversation-turn-mean (AIPERF_CONVERSATION_TURN_MEAN): must be at least 1 turn"},
		// AIPerf flags for what is not built here: one line saying so, exit 2.
		{[]string{"--model", "m", "--public-dataset", "nosuch_dataset"}, "--public-dataset (AIPERF_PUBLIC_DATASET)"},
		{[]string{"--model", "m", "--wandb-entity", "e"}, "--wandb-entity (AIPERF_WANDB_ENTITY): needs --wandb-project"},
		{[]string{"--model", "m", "--reset-kv-cache-path", "http://elsewhere/reset"}, "--reset-kv-cache-path (AIPERF_RESET_KV_CACHE_PATH): must be a relative path"},
		{[]string{"--model", "m", "--transport-type", "grpc"}, "--transport (AIPERF_TRANSPORT): unknown transport"},
		{[]string{"--model", "m", "--fixed-schedule", "--no-fixed-schedule"}, "--no-fixed-schedule"},
		// AIPerf refuses an SLO on a metric the run cannot have, before the run.
		{[]string{"--model", "m", "--goodput", "inter_token_latency:10 request_latency:100"}, "inter_token_latency are not applicable"},
		{[]string{"--model", "m", "--endpoint-type", "audio_transcription", "--audio-length-mean", "1",
			"--goodput", "input_sequence_length:4"}, "input_sequence_length are not applicable"},
		// A fixed schedule with nothing to send fails before the run, not with an empty report.
		{[]string{"--model", "m", "--fixed-schedule"}, "--fixed-schedule"},
		{[]string{"--model", "m", "--input-file", "../../inputs/testdata/mooncake_trace.jsonl",
			"--fixed-schedule-start-offset", "5000"}, "--fixed-schedule-start-offset"},
	}
	for _, c := range cases {
		code, _, errOut, _ := profileInDir(t, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line naming %q", c.args, code, errOut, c.want)
		}
	}
}

// An unreachable server: every request fails, every file is still written, the
// error is summarised and the exit code says the run failed.
func TestProfileUnreachableURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	code, out, errOut, dir := profileInDir(t, "--model", "m", "--url", addr, "--request-count", "3", "--synthetic-input-tokens-mean", "5")
	if code != 1 || !strings.Contains(errOut, "all 3 requests failed") || !strings.Contains(errOut, "ConnectionError") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if strings.Contains(errOut, "(0 ") {
		t.Errorf("stderr %q shows a code of 0", errOut)
	}
	if !strings.Contains(out, "Error Summary") {
		t.Errorf("no error summary table:\n%s", out)
	}
	exp := readJSON(t, filepath.Join(dir, report.JSONFile))
	if sum := errorSummary(t, filepath.Join(dir, report.JSONFile)); len(sum) != 1 || sum[0].Count != 3 {
		t.Errorf("error_summary %+v", sum)
	}
	if got := stat(t, exp, "error_request_count", "avg"); got != 3 {
		t.Errorf("error_request_count %v", got)
	}
}

// HTTP errors from the server land in the error summary with code, type and body.
func TestProfileHTTPErrors(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" { // server-metrics scrapes are not requests
			n++
		}
		http.Error(w, `{"error":{"message":"model overloaded"}}`, http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	code, out, _, dir := profileInDir(t, "--model", "m", "--url", srv.URL, "--request-count", "4", "--concurrency", "1", "--streaming")
	if code != 1 {
		t.Errorf("exit %d, want 1 when every request failed", code)
	}
	sum := errorSummary(t, filepath.Join(dir, report.JSONFile))
	if len(sum) != 1 {
		t.Fatalf("error_summary %+v", sum)
	}
	if d := sum[0].ErrorDetails; d.Code != 503 || d.Type != "Service Unavailable" || !strings.Contains(d.Message, "model overloaded") {
		t.Errorf("error details %+v", d)
	}
	if !strings.Contains(out, "Service Unavailable") || n != 4 {
		t.Errorf("console lacks the error, or %d requests sent", n)
	}
}

// A run interrupted by Ctrl-C still reports what it measured, its last
// scrape of the mock's metrics included.
func TestProfileCancelledRunStillReports(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	base := t.TempDir()
	var out, errb bytes.Buffer
	done := make(chan int)
	go func() {
		done <- profile(ctx, []string{"--mock", "--mock.ttft", "50", "--mock.itl", "10", "--model", "m", "--streaming",
			"--request-count", "1000", "--concurrency", "2", "--artifact-dir", base, "--synthetic-input-tokens-mean", "20"}, &out, &errb)
	}()
	// Cancel once some requests have finished.
	for i := 0; ; i++ {
		if b, _ := os.ReadFile(filepath.Join(base, "logs", "aiperf.log")); bytes.Contains(b, []byte("profile starting")) && i > 20 {
			break
		}
		if i > 400 {
			t.Fatal("run did not start")
		}
		sleepMs(25)
	}
	cancel()
	<-done
	exp := readJSON(t, filepath.Join(base, report.JSONFile))
	if exp["was_cancelled"] != true {
		t.Errorf("was_cancelled %v", exp["was_cancelled"])
	}
	if !strings.Contains(out.String(), "Benchmark Duration:") {
		t.Errorf("no report after cancel:\n%s", out.String())
	}
	// The embedded mock outlives the final server-metrics and GPU scrape.
	if strings.Contains(errb.String(), "Warning:") {
		t.Errorf("the final scrape failed: the mock went first:\n%s", errb.String())
	}
}

// truthGaps returns, per record, in ms (the same clock: the mock is
// in-process): its TTFT minus the mock's time of the last chunk in the first
// read; how far its first stamp lies before the earliest moment that chunk's
// write could begin (mockTTFT after the start for the first chunk); and its
// ITL minus the mock's mean chunk spacing.
func truthGaps(t *testing.T, m *mockserver.Running, dir string, mockTTFT time.Duration) (ttft, early, itl []float64) {
	t.Helper()
	recs, err := report.ReadRecords(filepath.Join(dir, report.JSONLFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		tr, ok := m.Server.Truth(r.RequestID)
		if !ok || len(tr.ChunkNs) < 2 {
			t.Fatalf("no truth for %s", r.RequestID)
		}
		got := metrics.ForRecord(r)
		gotTTFT, ok1 := got.Get(metrics.TTFT)
		gotITL, ok2 := got.Get(metrics.ITL)
		if !ok1 || !ok2 {
			offs := make([]time.Duration, len(r.Responses))
			for i, x := range r.Responses {
				offs[i] = x.Offset
			}
			t.Fatalf("no TTFT or ITL for %s (stamps %q, OSL %d): response offsets %v", r.RequestID, r.StampSource, r.OutputTokens, offs)
		}
		n := len(tr.ChunkNs)
		// Responses read together share that read's stamp, the arrival of its
		// newest packet (probe/stamps.go), so the first response's truth is
		// the mock's stamp of the last chunk in its read. A reader held off the
		// CPU on a loaded machine reads several chunks at once (seen: medians
		// of 6.5-9 ms against the first chunk at load 26-30 on 2 cores, up to
		// 111 ms for one request; -0.004 ms against the read's last chunk).
		j := 0
		for len(r.Responses) == n && j+1 < n && r.Responses[j+1].Offset == r.Responses[0].Offset {
			j++
		}
		ttft = append(ttft, gotTTFT-float64(tr.ChunkNs[j]-r.StartNs)/1e6)
		began := float64(mockTTFT) / 1e6 // the earliest chunk j's write began, from the start
		if j > 0 {
			began = float64(tr.ChunkNs[j-1]-r.StartNs) / 1e6
		}
		early = append(early, began-gotTTFT)
		itl = append(itl, gotITL-float64(tr.ChunkNs[n-1]-tr.ChunkNs[0])/1e6/float64(n-1))
	}
	return ttft, early, itl
}

// recordMeans is the mean TTFT and ITL over the JSONL records in dir, each
// computed for its own request (over the requests that have one).
func recordMeans(t *testing.T, dir string) (ttft, itl float64) {
	t.Helper()
	recs, err := report.ReadRecords(filepath.Join(dir, report.JSONLFile))
	if err != nil {
		t.Fatal(err)
	}
	var ttfts, itls []float64
	for _, r := range recs {
		m := metrics.ForRecord(r)
		if v, ok := m.Get(metrics.TTFT); ok {
			ttfts = append(ttfts, v)
		}
		if v, ok := m.Get(metrics.ITL); ok {
			itls = append(itls, v)
		}
	}
	mean := func(xs []float64) float64 {
		if len(xs) == 0 {
			t.Fatal("no request has a TTFT or an ITL")
		}
		sum := 0.0
		for _, x := range xs {
			sum += x
		}
		return sum / float64(len(xs))
	}
	return mean(ttfts), mean(itls)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// AIPerf's flags that only shape its own processes or UI, and the others at
// their defaults, are accepted: an AIPerf command line parses unchanged.
func TestProfileAcceptsAIPerfOnlyFlags(t *testing.T) {
	args := []string{"-m", "m", "-v", "-vv", "--ui", "none", "--log-level", "debug", "--workers-max", "4",
		"--record-processors", "2", "--num-warmup-requests", "1", "--output-artifact-dir", "out",
		"--isl-stddev", "0", "--osl-stddev", "0", "--prompt-batch-size", "1", "--tokenizer-revision", "main",
		"--session-turns-mean", "1", "--num-sessions", "5", "--prefix-prompt-length", "0",
		// Newer ones (docs/cli-options.md, 2026): AIPerf's own machinery, or at their defaults.
		"--stats-interval", "5", "--zmq-host", "127.0.0.1", "--zmq-ipc-path", "/tmp", "--zmq-dual-bind",
		"--unsafe-override", "--no-allow-dataset-wrap", "--open-loop-replay",
		"--force-min-tokens", "--no-auto-plot", "--url-strategy", "round_robin", "--transport", "http",
		"--connection-reuse-strategy", "pooled", "--cache-bust", "none", "--video-batch-size", "0",
		"--image-source", "noise", "--profile-export-level", "records", "--num-prompts", "7"}
	s, err := parseProfile(args, io.Discard, io.Discard)
	if err == nil {
		_, err = prof.New(s) // the profile-only checks
	}
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	if s.Profile.ArtifactDir != "out" || s.Options.WarmupCount != 1 || s.Options.NumDatasetEntries != 7 {
		t.Errorf("aliases not applied: artifact dir %q, warmup %d, entries %d", s.Profile.ArtifactDir, s.Options.WarmupCount, s.Options.NumDatasetEntries)
	}
}
