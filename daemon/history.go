package daemon

import (
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// History keeps the last N probe results of each scenario for the landing page:
// a bounded ring per scenario behind one lock, like blackbox_exporter's history,
// and the scenario's running totals.
type History struct {
	mu    sync.Mutex
	size  int
	rings map[string]*ring
}

type ring struct {
	buf    []Result // grows to the history size, then wraps
	next   int      // once full: the index of the oldest result, where the next goes
	totals Totals
}

// MaxHistorySize bounds --web.history-size: the rings grow as results come,
// but a size of a billion would still let one scenario hold that many.
const MaxHistorySize = 100_000

// Totals counts a scenario's probes since the daemon started, as the
// collector's counters do: only the probes record.Counted counts.
type Totals struct {
	Probes, Successes int
	Errors            map[record.Reason]int // by reason; nil until the first error
	InputTokens       int64
	OutputTokens      int64 // known output tokens of successful probes, reasoning excluded as in aiperf_output_tokens_total
	AudioSeconds      float64
	First             time.Time // when the first counted probe finished
	LastSuccess       time.Time // zero until a probe succeeds
}

// Failed is the number of probes that failed.
func (t Totals) Failed() int { return t.Probes - t.Successes }

// ReasonCount is one error reason and how many probes failed with it.
type ReasonCount struct {
	Reason record.Reason
	Count  int
}

// ErrorCounts lists the reasons seen, in record.Reasons order (any other
// reason last).
func (t Totals) ErrorCounts() []ReasonCount {
	var out []ReasonCount
	known := map[record.Reason]bool{}
	for _, r := range record.Reasons {
		known[r] = true
		if n := t.Errors[r]; n > 0 {
			out = append(out, ReasonCount{r, n})
		}
	}
	for r, n := range t.Errors {
		if !known[r] {
			out = append(out, ReasonCount{r, n})
		}
	}
	return out
}

func (t *Totals) add(r Result) {
	if !r.Counted {
		return
	}
	if t.Probes == 0 {
		t.First = r.Time
	}
	t.Probes++
	t.InputTokens += int64(r.InputTokens)
	t.AudioSeconds += r.AudioSeconds
	if !r.Success {
		if t.Errors == nil {
			t.Errors = map[record.Reason]int{}
		}
		t.Errors[r.Reason]++
		return
	}
	t.Successes++
	if r.OutputTokens > 0 {
		t.OutputTokens += int64(r.OutputTokens)
	}
	if r.Time.After(t.LastSuccess) {
		t.LastSuccess = r.Time
	}
}

// NewHistory keeps size results per scenario (at least 1, at most
// MaxHistorySize). Nothing is allocated up front: a ring grows with its results.
func NewHistory(size int) *History {
	return &History{size: min(max(size, 1), MaxHistorySize), rings: map[string]*ring{}}
}

// Add stores r, dropping the oldest result of its scenario when the ring is full.
func (h *History) Add(r Result) {
	h.mu.Lock()
	defer h.mu.Unlock()
	g := h.rings[r.Scenario]
	if g == nil {
		g = &ring{}
		h.rings[r.Scenario] = g
	}
	g.totals.add(r)
	if len(g.buf) < h.size {
		g.buf = append(g.buf, r)
		return
	}
	g.buf[g.next] = r
	g.next = (g.next + 1) % h.size
}

// Recent returns the results of scenario, newest first.
func (h *History) Recent(scenario string) []Result {
	h.mu.Lock()
	defer h.mu.Unlock()
	g := h.rings[scenario]
	if g == nil {
		return nil
	}
	n := len(g.buf)
	out := make([]Result, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, g.buf[(g.next-i+n)%n])
	}
	return out
}

// Totals returns the running totals of scenario.
func (h *History) Totals(scenario string) Totals {
	h.mu.Lock()
	defer h.mu.Unlock()
	g := h.rings[scenario]
	if g == nil {
		return Totals{}
	}
	t := g.totals
	if t.Errors != nil {
		t.Errors = make(map[record.Reason]int, len(g.totals.Errors))
		for k, v := range g.totals.Errors {
			t.Errors[k] = v
		}
	}
	return t
}

// Keep drops the results and totals of every scenario not in names: a
// scenario a reload removed is gone from the landing page, and a reload loop
// renaming scenarios cannot grow the history without bound.
func (h *History) Keep(names []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.rings {
		if !slices.Contains(names, s) {
			delete(h.rings, s)
		}
	}
}

// Scenarios lists the scenarios that have results, sorted.
func (h *History) Scenarios() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]string, 0, len(h.rings))
	for s := range h.rings {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}
