package daemon

import (
	"sort"
	"sync"
)

// History keeps the last N probe results of each scenario for the landing page:
// a bounded ring per scenario behind one lock, like blackbox_exporter's history.
type History struct {
	mu    sync.Mutex
	size  int
	rings map[string]*ring
}

type ring struct {
	buf  []Result
	next int // index the next result goes to
	full bool
}

// NewHistory keeps size results per scenario (at least 1).
func NewHistory(size int) *History {
	return &History{size: max(size, 1), rings: map[string]*ring{}}
}

// Add stores r, dropping the oldest result of its scenario when the ring is full.
func (h *History) Add(r Result) {
	h.mu.Lock()
	defer h.mu.Unlock()
	g := h.rings[r.Scenario]
	if g == nil {
		g = &ring{buf: make([]Result, h.size)}
		h.rings[r.Scenario] = g
	}
	g.buf[g.next] = r
	g.next = (g.next + 1) % h.size
	if g.next == 0 {
		g.full = true
	}
}

// Recent returns the results of scenario, newest first.
func (h *History) Recent(scenario string) []Result {
	h.mu.Lock()
	defer h.mu.Unlock()
	g := h.rings[scenario]
	if g == nil {
		return nil
	}
	n := g.next
	if g.full {
		n = h.size
	}
	out := make([]Result, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, g.buf[(g.next-i+h.size)%h.size])
	}
	return out
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
