package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// faultMock runs the real mock server with faults for one test.
func faultMock(t *testing.T, f mockserver.Faults) *mockserver.Running {
	t.Helper()
	return mocktest.Start(t, mockserver.Config{TTFT: 2 * time.Millisecond, ITL: time.Millisecond,
		OutputTokens: 8, Faults: f, Seed: 5})
}

// exportLine is the part of a profile_export.jsonl line the fault tests read.
type exportLine struct {
	Error *struct {
		Code    int    `json:"code"`
		Type    string `json:"type"`
		Message string `json:"message"`
	} `json:"error"`
	Record struct {
		Reason        string `json:"reason"`
		SkippedEvents int    `json:"skipped_events"`
	} `json:"record"`
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	return string(testkit.ReadFile(t, path))
}

// Every failing mock fault reaches every export of `profile`: the JSONL record's
// error, the JSON error summary and count, the CSV error count, the console
// Error Summary and the log file; the run exits 1 because every request failed.
// A malformed event is counted on the record and the request stays valid.
func TestProfileFaultsInEveryExport(t *testing.T) {
	cases := []struct {
		name   string
		faults mockserver.Faults
		code   int
		typ    string
		reason string
	}{
		{"error500", mockserver.Faults{Error500: 1}, 500, "Internal Server Error", "http_5xx"},
		{"error429", mockserver.Faults{Error429: 1}, 429, "Too Many Requests", "http_4xx"},
		{"drop_mid_stream", mockserver.Faults{DropMidStream: 1}, 502, "StreamError", "stream_error"},
		{"error_event", mockserver.Faults{ErrorEvent: 1}, 500, "InternalServerError", "stream_error"},
		{"truncate", mockserver.Faults{Truncate: 1}, 502, "StreamError", "stream_error"},
		{"stall_past_timeout", mockserver.Faults{Stall: 1, StallDuration: time.Minute}, 0, "TimeoutError", "timeout"},
		{"slow_headers_past_timeout", mockserver.Faults{SlowHeaders: 1, SlowHeadersDelay: time.Minute}, 0, "TimeoutError", "timeout"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := faultMock(t, c.faults)
			start := time.Now()
			code, out, errOut, dir := profileInDir(t, "--model", "m", "--url", m.URL, "--streaming", "--request-count", "3",
				"--concurrency", "3", "--isl", "10", "--request-timeout-seconds", "0.5")
			if took := time.Since(start); took > 30*time.Second {
				t.Errorf("run took %v: a fault held it past its timeout", took)
			}
			if code != 1 || !strings.Contains(errOut, "all 3 requests failed") || !strings.Contains(errOut, c.typ) {
				t.Errorf("exit %d, stderr %q; want 1 and the reason %q", code, errOut, c.typ)
			}
			lines := readJSONLAs[exportLine](t, dir)
			if len(lines) != 3 {
				t.Fatalf("%d JSONL lines, want 3", len(lines))
			}
			for _, l := range lines {
				if l.Error == nil || l.Error.Code != c.code || l.Error.Type != c.typ || l.Record.Reason != c.reason {
					t.Errorf("JSONL error %+v reason %q; want code %d type %q reason %q", l.Error, l.Record.Reason, c.code, c.typ, c.reason)
				}
			}
			exp := readJSON(t, filepath.Join(dir, report.JSONFile))
			if got := stat(t, exp, "error_request_count", "avg"); got != 3 {
				t.Errorf("JSON error_request_count %v, want 3", got)
			}
			sum := errorSummary(t, filepath.Join(dir, report.JSONFile))
			if len(sum) == 0 {
				t.Fatalf("JSON error_summary empty")
			}
			if d := sum[0].ErrorDetails; d.Type != c.typ {
				t.Errorf("JSON error_summary %+v", d)
			}
			if csv := readFile(t, filepath.Join(dir, report.CSVFile)); !regexp.MustCompile(`(?m)^Error Request Count,3\r?$`).MatchString(csv) {
				t.Errorf("CSV lacks 'Error Request Count,3':\n%s", csv)
			}
			if !strings.Contains(out, "Error Summary") || !strings.Contains(out, c.typ) {
				t.Errorf("console lacks the Error Summary with %q:\n%s", c.typ, out)
			}
			if log := readFile(t, report.LogPath(dir)); strings.Count(log, "request failed") != 3 {
				t.Errorf("log file has %d 'request failed' lines, want 3:\n%s", strings.Count(log, "request failed"), log)
			}
		})
	}
}

// Faults the request survives: a malformed event is counted and skipped, a short
// stall and slow headers only add latency, a JSON body to a streaming request is
// one response. Every request is valid and the run exits 0.
func TestProfileSurvivableFaults(t *testing.T) {
	cases := []struct {
		name    string
		faults  mockserver.Faults
		skipped int
	}{
		{"malformed_event", mockserver.Faults{MalformedEvent: 1}, 1},
		{"stall_within_timeout", mockserver.Faults{Stall: 1, StallDuration: 50 * time.Millisecond}, 0},
		{"slow_headers_within_timeout", mockserver.Faults{SlowHeaders: 1, SlowHeadersDelay: 50 * time.Millisecond}, 0},
		{"wrong_content_type", mockserver.Faults{WrongContentType: 1}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := faultMock(t, c.faults)
			code, _, errOut, dir := profileInDir(t, "--model", "m", "--url", m.URL, "--streaming", "--request-count", "3",
				"--concurrency", "3", "--isl", "10")
			if code != 0 {
				t.Errorf("exit %d, stderr %q", code, errOut)
			}
			for _, l := range readJSONLAs[exportLine](t, dir) {
				if l.Error != nil || l.Record.SkippedEvents != c.skipped {
					t.Errorf("JSONL error %+v skipped %d; want valid with %d skipped", l.Error, l.Record.SkippedEvents, c.skipped)
				}
			}
			if got := stat(t, readJSON(t, filepath.Join(dir, report.JSONFile)), "request_count", "avg"); got != 3 {
				t.Errorf("request_count %v, want 3 valid", got)
			}
		})
	}
}

// --failed-request-threshold takes AIPerf's unit (a ratio, 0-1), is off unless
// given, fails a run whose failed share exceeds it (naming the flag), and stops
// the run early once max(concurrency, 10) requests have finished above it.
func TestFailedRequestThreshold(t *testing.T) {
	m := faultMock(t, mockserver.Faults{Error500: 0.5})
	run := func(rate float64, count, threshold string) (int, string, float64, float64) {
		m.Server.Configure(mockserver.Config{OutputTokens: 8, Faults: mockserver.Faults{Error500: rate}, Seed: 5}) // same draws each run
		args := []string{"--model", "m", "--url", m.URL, "--streaming", "--request-count", count, "--concurrency", "1", "--isl", "10"}
		if threshold != "" {
			args = append(args, "--failed-request-threshold", threshold)
		}
		code, _, errOut, dir := profileInDir(t, args...)
		exp := readJSON(t, filepath.Join(dir, report.JSONFile))
		var ok float64
		if _, has := exp["request_count"]; has {
			ok = stat(t, exp, "request_count", "avg")
		}
		return code, errOut, stat(t, exp, "error_request_count", "avg"), ok
	}
	code, errOut, failed, _ := run(0.5, "20", "")
	if failed == 0 || failed == 20 {
		t.Fatalf("%v of 20 failed: the mock's 50%% error rate did not give a mixed run", failed)
	}
	if code != 0 {
		t.Errorf("no threshold: exit %d, stderr %q; errors alone must not fail the run", code, errOut)
	}
	if code, errOut, _, _ = run(0.5, "20", "0.95"); code != 0 {
		t.Errorf("threshold 0.95 with %v of 20 failed: exit %d, stderr %q; want 0", failed, code, errOut)
	}
	if code, errOut, _, _ = run(0.5, "20", "0"); code != 1 || !strings.Contains(errOut, "--failed-request-threshold 0\n") {
		t.Errorf("threshold 0 with failures: exit %d, stderr %q; want 1 naming the flag", code, errOut)
	}
	// Every request fails: the run stops after 10 of 40, and what finished is reported.
	code, _, failed, ok := run(1, "40", "0.5")
	if code != 1 || failed+ok >= 40 || failed < 10 {
		t.Errorf("all failing with threshold 0.5: exit %d, %v failed and %v ok reported; want exit 1 and an early stop after 10", code, failed, ok)
	}
	for _, bad := range []string{"-1", "1.5", "50", "lots"} {
		code, _, errOut, _ := profileInDir(t, "--model", "m", "--url", m.URL, "--failed-request-threshold", bad)
		if code != 2 || !strings.Contains(errOut, "failed-request-threshold") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("--failed-request-threshold %s: exit %d, stderr %q; want 2 and one line naming the flag", bad, code, errOut)
		}
	}
}

func jsonNum(v float64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
