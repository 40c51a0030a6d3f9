package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// jsonInt reads a top-level number of the JSON export; -1 when absent.
func jsonInt(t *testing.T, export map[string]any, key string) int {
	t.Helper()
	v, ok := export[key].(float64)
	if !ok {
		return -1
	}
	return int(v)
}

// Requests still running at --benchmark-duration + grace are dropped from every
// export, and the JSON says how many (dropped_late_requests), also after
// `report DIR`. When every request was dropped, stderr says there is nothing
// to report and the run exits 1.
func TestProfileDroppedLateRequests(t *testing.T) {
	cases := []struct {
		name     string
		cfg      mockserver.Config
		wantCode int
		allGone  bool
	}{
		// Every request takes 3 s to its first token: none ends by 1 + 0.5 s.
		{"every request dropped", mockserver.Config{TTFT: 3 * time.Second, OutputTokens: 4}, 1, true},
		// Half the requests stall 3 s mid-stream; the fast ones are kept.
		{"some dropped", mockserver.Config{TTFT: 5 * time.Millisecond, ITL: time.Millisecond, OutputTokens: 4, Seed: 3,
			Faults: mockserver.Faults{Stall: 0.5, StallDuration: 3 * time.Second}}, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := mocktest.Start(t, c.cfg)
			code, out, errOut, dir := profileInDir(t, "--model", "m", "--url", m.URL, "--streaming", "--concurrency", "2",
				"--isl", "8", "--benchmark-duration", "1", "--benchmark-grace-period", "0.5")
			if code != c.wantCode {
				t.Fatalf("exit %d, want %d; stderr %q", code, c.wantCode, errOut)
			}
			export := readJSON(t, filepath.Join(dir, report.JSONFile))
			dropped := jsonInt(t, export, "dropped_late_requests")
			if dropped < 1 {
				t.Fatalf("dropped_late_requests %d, want >= 1", dropped)
			}
			if !strings.Contains(out, "were dropped") {
				t.Errorf("stdout does not say requests were dropped:\n%s", out)
			}
			kept := len(readJSONLAs[exportLine](t, dir))
			if c.allGone {
				if kept != 0 {
					t.Errorf("%d records in the JSONL, want none", kept)
				}
				line := strings.TrimSpace(errOut)
				if !strings.Contains(line, "nothing to report") || !strings.Contains(line, "--benchmark-duration") || strings.Contains(line, "\n") {
					t.Errorf("stderr %q: want one line saying nothing is left to report", errOut)
				}
			} else if kept == 0 || errOut != "" {
				t.Errorf("%d records kept, stderr %q; want some and a quiet stderr", kept, errOut)
			}

			// `report DIR` keeps the count it cannot rebuild from the records;
			// with no record left it says so, exits 1 as profile did, and
			// rewrites nothing.
			var rout, rerr bytes.Buffer
			code = run([]string{"report", dir}, &rout, &rerr)
			if c.allGone {
				if code != 1 || !strings.Contains(rerr.String(), "no records in") {
					t.Fatalf("report exit %d, stderr %q; want 1 and no records", code, rerr.String())
				}
				if got := jsonInt(t, readJSON(t, filepath.Join(dir, report.JSONFile)), "dropped_late_requests"); got != dropped {
					t.Errorf("after report DIR: dropped_late_requests %d, want %d", got, dropped)
				}
				return
			}
			if code != 0 {
				t.Fatalf("report exit %d: %s", code, rerr.String())
			}
			if got := jsonInt(t, readJSON(t, filepath.Join(dir, report.JSONFile)), "dropped_late_requests"); got != dropped {
				t.Errorf("after report DIR: dropped_late_requests %d, want %d", got, dropped)
			}
			if !strings.Contains(rout.String(), "were dropped") {
				t.Errorf("report console does not say requests were dropped:\n%s", rout.String())
			}
		})
	}
}

// Malformed stream events are totalled in the JSON (skipped_stream_events) and
// warned about on the console; a clean run has 0 and no warning.
func TestProfileSkippedStreamEvents(t *testing.T) {
	cases := []struct {
		name   string
		faults mockserver.Faults
		want   int
	}{
		{"malformed events", mockserver.Faults{MalformedEvent: 1}, 3},
		{"clean stream", mockserver.Faults{}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := faultMock(t, c.faults)
			out, dir := profileOK(t, "--model", "m", "--url", m.URL, "--streaming", "--request-count", "3",
				"--concurrency", "3", "--isl", "10")
			if got := jsonInt(t, readJSON(t, filepath.Join(dir, report.JSONFile)), "skipped_stream_events"); got != c.want {
				t.Errorf("skipped_stream_events %d, want %d", got, c.want)
			}
			warned := strings.Count(out, "malformed stream event")
			if (c.want > 0) != (warned == 1) || warned > 1 {
				t.Errorf("%d warning lines for %d skipped events:\n%s", warned, c.want, out)
			}
			var rout bytes.Buffer
			if code := run([]string{"report", dir}, &rout, &bytes.Buffer{}); code != 0 {
				t.Fatalf("report exit %d", code)
			}
			if got := jsonInt(t, readJSON(t, filepath.Join(dir, report.JSONFile)), "skipped_stream_events"); got != c.want {
				t.Errorf("after report DIR: skipped_stream_events %d, want %d", got, c.want)
			}
		})
	}
}

// Without --request-count or --benchmark-duration a run sends
// max(10, 2 x concurrency) requests.
func TestProfileDefaultRequestCount(t *testing.T) {
	cases := []struct {
		concurrency string
		want        float64
	}{{"2", 10}, {"6", 12}}
	for _, c := range cases {
		t.Run("concurrency "+c.concurrency, func(t *testing.T) {
			_, dir := profileOK(t, "--mock", "--mock.ttft", "1", "--mock.itl", "0", "--model", "m", "--streaming",
				"--concurrency", c.concurrency, "--isl", "4", "--output-tokens-mean", "2")
			export := readJSON(t, filepath.Join(dir, report.JSONFile))
			if got := stat(t, export, "request_count", "avg"); got != c.want {
				t.Errorf("request_count %v, want %v", got, c.want)
			}
			lg := testkit.JSONAt[map[string]any](t, export, "input_config", "loadgen")
			if lg["request_count"] != c.want {
				t.Errorf("input_config loadgen.request_count %v, want %v", lg["request_count"], c.want)
			}
		})
	}
}

// input_config is AIPerf's user config as dumped with exclude_unset: --goodput
// under input, the rate's mode as request_rate_mode, defaults left out.
func TestInputConfigLayout(t *testing.T) {
	_, dir := profileOK(t, "--mock", "--request-count", "2", "--request-rate", "50",
		"--synthetic-input-tokens-mean", "5", "--mock.output-tokens", "2", "--goodput", "request_latency:10000")
	ic := inputConfigAt(t, dir)
	input := testkit.JSONAt[map[string]any](t, ic, "input")
	if _, top := ic["goodput"]; top || input["goodput"] == nil {
		t.Errorf("goodput must sit under input: %v", ic)
	}
	if _, ok := input["random_seed"]; ok {
		t.Errorf("random_seed was not given, so it is left out: %v", input)
	}
	prompt := testkit.JSONAt[map[string]any](t, input, "prompt")
	if _, ok := prompt["output_tokens"]; ok {
		t.Errorf("output_tokens at their defaults must be left out: %v", prompt)
	}
	if in := testkit.JSONAt[map[string]any](t, prompt, "input_tokens"); in["mean"] != 5.0 || in["stddev"] != nil {
		t.Errorf("input_tokens %v, want only the mean that was given", in)
	}
	if lg := testkit.JSONAt[map[string]any](t, ic, "loadgen"); lg["request_rate_mode"] != "poisson" || lg["arrival_pattern"] != nil {
		t.Errorf("loadgen %v", lg)
	}
}

// A length setting given by any of its names is in input_config, even at its
// default (AIPerf dumps what the user set): --isl-stddev 0 as much as --isl 550.
func TestInputConfigListsLengthsGivenByAlias(t *testing.T) {
	_, dir := profileOK(t, "--mock", "--request-count", "1", "--isl-stddev", "0",
		"--prompt-output-tokens-mean", "0", "--osl-stddev", "0")
	in := inputConfigAt(t, dir, "input", "prompt", "input_tokens")
	out := inputConfigAt(t, dir, "input", "prompt", "output_tokens")
	if in["stddev"] != 0.0 || in["mean"] != nil || out["mean"] != 0.0 || out["stddev"] != 0.0 {
		t.Errorf("input_tokens %v, output_tokens %v: want the stddevs and the output mean that were given", in, out)
	}
}
