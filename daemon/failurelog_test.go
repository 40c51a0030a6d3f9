package daemon

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func failed(target string, reason record.Reason, status int, msg string) *record.Record {
	return &record.Record{Scenario: "s", Model: "m", Target: target, Phase: record.PhaseProfiling, Reason: reason,
		HTTPStatus: status, Error: &record.Error{Code: status, Message: msg}, RequestID: "r"}
}

// summaryOf is the target and count of a summary line; a line without them
// fails the test naming its fields.
func summaryOf(t *testing.T, e observer.LoggedEntry) (target string, count int64) {
	t.Helper()
	target, ok := e.ContextMap()["target"].(string)
	count, ok2 := e.ContextMap()["count"].(int64)
	if !ok || !ok2 {
		t.Fatalf("summary line %v: want a string target and an int64 count", e.ContextMap())
	}
	return target, count
}

// Repeated failures are one warn line per target and reason when they start,
// then one summary line per interval with the count; every failure is a debug
// line; a key quiet for an interval is logged at once again.
func TestFailureLogSummarises(t *testing.T) {
	core, logs := observer.New(zapcore.DebugLevel)
	f := newFailureLog(zap.New(core))
	add := func(r *record.Record, n int) {
		for range n {
			f.add(r, ResultFrom(r))
		}
	}
	dead := failed("dead", record.ReasonConnection, 0, "connection refused")
	busy := failed("live", record.ReasonHTTP5xx, 500, "overloaded")
	add(dead, 1000)
	add(busy, 5)
	f.flush(time.Minute)
	if n := logs.FilterLevelExact(zapcore.DebugLevel).FilterMessage("probe failed").Len(); n != 1005 {
		t.Errorf("%d debug lines, want one per failure (1005)", n)
	}
	warns := func() []observer.LoggedEntry {
		var out []observer.LoggedEntry
		for _, e := range logs.TakeAll() {
			if e.Level == zapcore.WarnLevel {
				out = append(out, e)
			}
		}
		return out
	}
	got := warns()
	if len(got) != 4 {
		t.Fatalf("%d warn lines for 1005 failures of two keys, want 4: %v", len(got), got)
	}
	counts := map[string]int64{}
	for _, e := range got {
		if e.Message == "probes failed" {
			target, count := summaryOf(t, e)
			counts[target] = count
		}
	}
	if counts["dead"] != 999 || counts["live"] != 4 {
		t.Errorf("summary counts %v, want dead 999 and live 4 (the first of each logged at once)", counts)
	}

	add(dead, 3) // still failing: counted, not logged at once
	if got := warns(); len(got) != 0 {
		t.Errorf("a failure that goes on was logged at once: %v", got)
	}
	f.flush(time.Minute) // dead: summary of 3; live had none and is forgotten
	f.flush(time.Minute) // nothing left to say
	if got := warns(); len(got) != 1 {
		t.Errorf("after two more intervals: %v, want one summary of 3", got)
	} else if _, n := summaryOf(t, got[0]); n != 3 {
		t.Errorf("after two more intervals: %v, want one summary of 3", got)
	}
	add(busy, 1)
	if got := warns(); len(got) != 1 || got[0].Message != "probe failed (repeats are summarised)" {
		t.Errorf("a failure after a quiet interval: %v, want it logged at once", got)
	}

	stats := f.stats("s")
	if len(stats) != 2 || stats[0].Target != "dead" || stats[0].Count != 1003 || stats[1].Count != 6 ||
		stats[1].Error != "overloaded" || stats[1].HTTPStatus != 500 {
		t.Errorf("stats %+v", stats)
	}
}

// A server's error text with a newline cannot forge a log line: the console
// log stays one line per entry, from the backoff and the failure log alike.
func TestServerTextCannotForgeLogLines(t *testing.T) {
	var buf bytes.Buffer
	log, err := NewLogger(&buf, "debug", "console")
	if err != nil {
		t.Fatal(err)
	}
	forged := "refused\n2026-01-01T00:00:00.000Z\tERROR\tforged line"
	b := newBackoff(time.Millisecond, time.Millisecond, 1, log.Sugar().Warnf)
	f := newFailureLog(log)
	for range unreachableAfter {
		r := failed("t", record.ReasonConnection, 0, forged)
		r.StartNs = time.Now().UnixNano()
		f.add(r, ResultFrom(r))
		b.observe(r)
	}
	f.flush(time.Minute)
	out := buf.String()
	if !strings.Contains(out, "pausing probes") || !strings.Contains(out, "probes failed") {
		t.Fatalf("expected backoff and summary lines:\n%s", out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(line, "20") || strings.HasPrefix(line, "2026-01-01T00:00:00.000Z") {
			t.Errorf("a line that is not the logger's own: %q", line)
		}
	}
}

// The landing page lists each scenario's failures by target and reason with
// their counts and the newest error, escaped.
func TestLandingListsFailuresByTargetAndReason(t *testing.T) {
	h := NewHistory(10)
	f := newFailureLog(zap.NewNop())
	for i, r := range []*record.Record{failed("dead", record.ReasonConnection, 0, "refused"),
		failed("live", record.ReasonHTTP5xx, 500, `<script>alert(1)</script>`)} {
		for range 3 - i {
			res := ResultFrom(r)
			h.Add(res)
			f.add(r, res)
		}
	}
	doc, body := fetchLanding(t, h, f.stats)
	rows := find(doc, "tr", "failure")
	if len(rows) != 2 {
		t.Fatalf("%d failure rows, want 2:\n%s", len(rows), body)
	}
	var got []string
	for _, row := range rows {
		var cells []string
		for _, td := range find(row, "td", "") {
			cells = append(cells, text(td))
		}
		got = append(got, strings.Join(cells, "|"))
	}
	if !strings.HasPrefix(got[0], "dead|connection|3|0|") || !strings.HasPrefix(got[1], "live|http_5xx|2|500|") ||
		!strings.HasSuffix(got[1], `<script>alert(1)</script>`) {
		t.Errorf("failure rows %q", got)
	}
	if strings.Contains(body, "<script>alert(1)") {
		t.Error("the error text is not escaped")
	}
}
