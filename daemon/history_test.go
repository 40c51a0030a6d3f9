package daemon

import (
	"fmt"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func TestHistoryBounds(t *testing.T) {
	cases := []struct {
		size, add int
		want      []string // request ids of scenario "a", newest first
	}{
		{3, 0, nil},
		{3, 2, []string{"1", "0"}},
		{3, 3, []string{"2", "1", "0"}},
		{3, 7, []string{"6", "5", "4"}},
		{0, 2, []string{"1"}}, // size below 1 keeps one
	}
	for _, c := range cases {
		h := NewHistory(c.size)
		for i := range c.add {
			h.Add(Result{Scenario: "a", RequestID: fmt.Sprint(i)})
			h.Add(Result{Scenario: "b", RequestID: "other"})
		}
		var got []string
		for _, r := range h.Recent("a") {
			got = append(got, r.RequestID)
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("size %d, %d added: got %v, want %v", c.size, c.add, got, c.want)
		}
		if n := len(h.Recent("b")); n > max(c.size, 1) {
			t.Errorf("size %d: scenario b holds %d results", c.size, n)
		}
	}
	// A huge size allocates nothing up front: the ring grows with its results
	// (allocating a million results at start cost hundreds of MB).
	big := NewHistory(1 << 30)
	if big.size != MaxHistorySize {
		t.Errorf("size %d, want the bound %d", big.size, MaxHistorySize)
	}
	big.Add(Result{Scenario: "a"})
	if c := cap(big.rings["a"].buf); c > 8 {
		t.Errorf("one result allocated a ring of %d", c)
	}
	h := NewHistory(2)
	h.Add(Result{Scenario: "z"})
	h.Add(Result{Scenario: "a"})
	if got := fmt.Sprint(h.Scenarios()); got != "[a z]" {
		t.Errorf("scenarios %s, want [a z]", got)
	}
}

// Totals outlive the ring and leave warmup probes out.
func TestHistoryTotals(t *testing.T) {
	t0 := time.Unix(1000, 0)
	ok := func(sec, out int) Result {
		return Result{Scenario: "a", Time: t0.Add(time.Duration(sec) * time.Second), Phase: record.PhaseProfiling, Counted: true,
			Success: true, InputTokens: 10, OutputTokens: out, AudioSeconds: 0.5}
	}
	fail := func(sec int, reason record.Reason) Result {
		return Result{Scenario: "a", Time: t0.Add(time.Duration(sec) * time.Second), Phase: record.PhaseProfiling, Counted: true,
			Reason: reason, InputTokens: 10, OutputTokens: -1}
	}
	warm := ok(0, 99)
	warm.Phase, warm.Counted = record.PhaseWarmup, false
	cases := []struct {
		name    string
		add     []Result
		probes  int
		success int
		in, out int64
		audio   float64
		errors  string
		last    int // seconds after t0 of the last success; -1: none
	}{
		{"none", nil, 0, 0, 0, 0, 0, "[]", -1},
		{"warmup only", []Result{warm}, 0, 0, 0, 0, 0, "[]", -1},
		{"mixed", []Result{warm, ok(1, 5), fail(2, record.ReasonTimeout), ok(3, -1), fail(4, record.ReasonHTTP5xx),
			fail(5, record.ReasonTimeout)}, 5, 2, 50, 5, 1, "[{http_5xx 1} {timeout 2}]", 3},
		{"more than the ring", []Result{ok(1, 1), ok(2, 1), ok(3, 1), ok(4, 1), ok(5, 1)}, 5, 5, 50, 5, 2.5, "[]", 5},
	}
	for _, c := range cases {
		h := NewHistory(3)
		for _, r := range c.add {
			h.Add(r)
		}
		got := h.Totals("a")
		if got.Probes != c.probes || got.Successes != c.success || got.Failed() != c.probes-c.success ||
			got.InputTokens != c.in || got.OutputTokens != c.out || got.AudioSeconds != c.audio ||
			fmt.Sprint(got.ErrorCounts()) != c.errors {
			t.Errorf("%s: %+v, errors %v", c.name, got, got.ErrorCounts())
		}
		if (c.last < 0) != got.LastSuccess.IsZero() || (c.last >= 0 && !got.LastSuccess.Equal(t0.Add(time.Duration(c.last)*time.Second))) {
			t.Errorf("%s: last success %v, want t0+%ds", c.name, got.LastSuccess, c.last)
		}
		if c.probes > 0 && got.First.IsZero() {
			t.Errorf("%s: no first time", c.name)
		}
		// The caller's copy of the error map is its own.
		if got.Errors != nil {
			got.Errors[record.ReasonTimeout] = 100
			if h.Totals("a").Errors[record.ReasonTimeout] == 100 {
				t.Errorf("%s: Totals shares its error map", c.name)
			}
		}
	}
}
