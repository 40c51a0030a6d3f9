package probe_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// chatDataset is a one-conversation dataset of a streaming chat request.
func chatDataset(stream bool) *inputs.Dataset {
	s := "false"
	if stream {
		s = "true"
	}
	body := `{"model":"m","messages":[{"role":"user","content":"one two three four five six seven eight"}],` +
		`"max_completion_tokens":10,"stream":` + s + `}`
	return &inputs.Dataset{Conversations: []inputs.Conversation{{ID: "c0", Turns: []inputs.Turn{{
		Body: inputs.Body{[]byte(body)}, ContentType: "application/json", Model: "m", InputTokens: 8,
	}}}}}
}

// openFDs counts this process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("no /proc/self/fd: %v", err)
	}
	return len(ents)
}

// faultCase is one mock fault and what every record of it must look like.
type faultCase struct {
	name    string
	faults  mockserver.Faults
	timeout time.Duration
	valid   bool
	reason  record.Reason
	code    int    // error code; 0 = any
	message string // substring of the error message
	skipped int
	check   func(t *testing.T, r *record.Record)
}

// faultCases lists every mockserver fault mode (probability 1), classified as
// newer AIPerf's SSE transport does (a non-200 status, an error event or a
// stream that ends without [DONE] or finish_reason is an error; a malformed
// event is skipped). Each row of docs/reliability.md names its case.
var faultCases = []faultCase{
	{name: "none", valid: true},
	{name: "error500", faults: mockserver.Faults{Error500: 1}, reason: record.ReasonHTTP5xx, code: 500,
		message: "mock fault: internal server error"},
	{name: "error429", faults: mockserver.Faults{Error429: 1}, reason: record.ReasonHTTP4xx, code: 429,
		message: "rate limit"},
	{name: "drop_mid_stream", faults: mockserver.Faults{DropMidStream: 1}, reason: record.ReasonStreamError, code: 502,
		message: "stream broken", check: func(t *testing.T, r *record.Record) {
			if len(r.Responses) == 0 {
				t.Errorf("tokens before the drop were not kept")
			}
		}},
	{name: "malformed_event", faults: mockserver.Faults{MalformedEvent: 1}, valid: true, skipped: 1,
		check: func(t *testing.T, r *record.Record) {
			if r.OutputTokens != 10 {
				t.Errorf("output tokens %d, want all 10 despite the skipped event", r.OutputTokens)
			}
		}},
	{name: "error_event", faults: mockserver.Faults{ErrorEvent: 1}, reason: record.ReasonStreamError, code: 500,
		message: "error in the middle of the stream"},
	{name: "truncate", faults: mockserver.Faults{Truncate: 1}, reason: record.ReasonStreamError, code: 502,
		message: "without [DONE] or finish_reason"},
	{name: "stall_within_timeout", faults: mockserver.Faults{Stall: 1, StallDuration: 300 * time.Millisecond}, valid: true,
		check: func(t *testing.T, r *record.Record) {
			if r.EndOffset < 300*time.Millisecond {
				t.Errorf("latency %v shorter than the 300ms stall", r.EndOffset)
			}
		}},
	{name: "stall_past_timeout", faults: mockserver.Faults{Stall: 1, StallDuration: time.Minute}, timeout: 500 * time.Millisecond,
		reason: record.ReasonTimeout, message: "timed out", check: endsNearTimeout},
	{name: "slow_headers_within_timeout", faults: mockserver.Faults{SlowHeaders: 1, SlowHeadersDelay: 300 * time.Millisecond}, valid: true,
		check: func(t *testing.T, r *record.Record) {
			if r.AckOffset < 300*time.Millisecond {
				t.Errorf("headers after %v, before the 300ms delay", r.AckOffset)
			}
		}},
	{name: "slow_headers_past_timeout", faults: mockserver.Faults{SlowHeaders: 1, SlowHeadersDelay: time.Minute}, timeout: 500 * time.Millisecond,
		reason: record.ReasonTimeout, message: "timed out", check: endsNearTimeout},
	{name: "wrong_content_type", faults: mockserver.Faults{WrongContentType: 1}, valid: true,
		check: func(t *testing.T, r *record.Record) {
			if len(r.Responses) != 1 || r.OutputTokens != 10 {
				t.Errorf("a JSON body must be one response of 10 tokens, got %d responses, %d tokens", len(r.Responses), r.OutputTokens)
			}
		}},
}

// endsNearTimeout checks a timed-out request ended at its deadline, not at the
// end of the fault (a minute): it never hangs past its timeout.
func endsNearTimeout(t *testing.T, r *record.Record) {
	if r.EndOffset < 500*time.Millisecond || r.EndOffset > 10*time.Second {
		t.Errorf("timed out after %v, want about 500ms", r.EndOffset)
	}
	// The message names the setting, so the error summary has one row for it.
	if r.Error == nil || r.Error.Message != "request timed out after 0.500 seconds" {
		t.Errorf("timeout error %+v, want the configured 0.500 seconds", r.Error)
	}
}

// runFaults runs n streaming requests against a mock with the case's faults.
func runFaults(t *testing.T, c faultCase, n int) []*record.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	m, err := mockserver.Start(ctx, "", mockserver.Config{TTFT: 5 * time.Millisecond, ITL: 2 * time.Millisecond,
		Faults: c.faults, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	timeout := c.timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	cfg := probe.Config{
		Targets:   []probe.Target{{Name: "mock", URL: m.URL + "/v1/chat/completions"}},
		Streaming: true, Timeout: timeout, Concurrency: 2, RequestCount: n,
	}
	var mu sync.Mutex
	var recs []*record.Record
	if err := probe.Run(ctx, cfg, chatDataset(true), func(r *record.Record) {
		mu.Lock()
		defer mu.Unlock()
		recs = append(recs, r)
	}); err != nil {
		t.Fatal(err)
	}
	if ctx.Err() != nil {
		t.Fatalf("run hung: %v", ctx.Err())
	}
	return recs
}

// Every mock fault, driven through the real engine, is classified as
// faultCases says; no goroutine or connection outlives the run.
func TestMockFaultsClassified(t *testing.T) {
	defer testkit.NoLeaks(t, goleak.IgnoreCurrent())
	fds := openFDs(t)
	for _, c := range faultCases {
		t.Run(c.name, func(t *testing.T) {
			recs := runFaults(t, c, 4)
			if len(recs) != 4 {
				t.Fatalf("%d records, want 4", len(recs))
			}
			for _, r := range recs {
				checkRecord(t, c, r)
			}
		})
	}
	// The mock is closed: every client connection must be closed too.
	deadline := time.Now().Add(10 * time.Second)
	for openFDs(t) > fds && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if now := openFDs(t); now > fds {
		t.Errorf("open file descriptors grew from %d to %d: a connection leaked", fds, now)
	}
}

func checkRecord(t *testing.T, c faultCase, r *record.Record) {
	t.Helper()
	if r.Valid() != c.valid {
		t.Fatalf("valid = %v, want %v (error %+v, reason %q)", r.Valid(), c.valid, r.Error, r.Reason)
	}
	if r.Reason != c.reason {
		t.Errorf("reason %q, want %q (error %+v)", r.Reason, c.reason, r.Error)
	}
	if !c.valid {
		if r.Error == nil {
			t.Fatalf("invalid record without an error object")
		}
		if c.code != 0 && r.Error.Code != c.code {
			t.Errorf("error code %d, want %d (%+v)", r.Error.Code, c.code, r.Error)
		}
		if !strings.Contains(r.Error.Message, c.message) {
			t.Errorf("error message %q does not contain %q", r.Error.Message, c.message)
		}
	}
	if r.SkippedEvents != c.skipped {
		t.Errorf("skipped events %d, want %d", r.SkippedEvents, c.skipped)
	}
	if c.check != nil {
		c.check(t, r)
	}
}

// A mixed fault load at concurrency 8 never crashes, every request becomes
// exactly one record, and nothing leaks.
func TestMixedFaultsNoLeak(t *testing.T) {
	defer testkit.NoLeaks(t, goleak.IgnoreCurrent())
	c := faultCase{faults: mockserver.Faults{Error500: 0.1, Error429: 0.1, DropMidStream: 0.1, MalformedEvent: 0.1,
		ErrorEvent: 0.1, Truncate: 0.1, Stall: 0.1, StallDuration: 20 * time.Millisecond, SlowHeaders: 0.1,
		SlowHeadersDelay: 20 * time.Millisecond, WrongContentType: 0.1}}
	recs := runFaults(t, c, 200)
	if len(recs) != 200 {
		t.Fatalf("%d records, want 200", len(recs))
	}
	seen := map[record.Reason]int{}
	for _, r := range recs {
		seen[r.Reason]++
		if !r.Valid() && r.Error == nil {
			t.Errorf("invalid record without an error: %+v", r)
		}
	}
	for _, want := range []record.Reason{record.ReasonNone, record.ReasonHTTP5xx, record.ReasonHTTP4xx, record.ReasonStreamError} {
		if seen[want] == 0 {
			t.Errorf("no record with reason %q in a mixed run: %v", want, seen)
		}
	}
}
