package probe

import (
	"fmt"
	"sync"
)

// budget bounds the response bytes held by all requests in flight together.
// The per-request bounds (maxLineBytes, maxResponseBytes) multiply by the
// requests in flight: 64 streams of endless lines held over a GB. A request
// reserves from the budget only once its buffers grow past keepBytes (normal
// responses never do), and gives its reservation back when it ends.
type budget struct {
	mu       sync.Mutex
	limit    int
	held     int // bytes reserved now
	peak     int // the most ever reserved at once
	refusals int // reservations refused
}

// defaultResponseBudget is the process-wide budget until a run sets one
// (--response-budget-mib, whose default is the same 256 MiB): four responses
// at maxResponseBytes, or many smaller ones.
const defaultResponseBudget = 256 << 20

// responseBudget is shared by every engine of the process.
var responseBudget = newBudget(defaultResponseBudget)

func newBudget(limit int) *budget { return &budget{limit: limit} }

// reserve takes n bytes from the budget, or nothing and false when they do
// not fit beside what is held.
func (b *budget) reserve(n int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.held+n > b.limit {
		b.refusals++
		return false
	}
	b.held += n
	b.peak = max(b.peak, b.held)
	return true
}

// setLimit changes the limit; bytes held above a lowered one stay held until
// their requests end, and new reservations wait for room below it.
func (b *budget) setLimit(n int) {
	b.mu.Lock()
	b.limit = n
	b.mu.Unlock()
}

// ResponseBudgetState reports the process-wide response budget for /metrics:
// the bytes held now, its limit and the reservations it refused so far.
func ResponseBudgetState() (held, limit, refusals int) {
	s := responseBudget.state()
	return s.held, s.limit, s.refusals
}

// release gives back n reserved bytes.
func (b *budget) release(n int) {
	b.mu.Lock()
	b.held -= n
	b.mu.Unlock()
}

// budgetState is a budget at one moment.
type budgetState struct {
	held, limit, peak, refusals int
}

// state returns the bytes held now, the limit, the high-water mark and the
// refusals so far.
func (b *budget) state() budgetState {
	b.mu.Lock()
	defer b.mu.Unlock()
	return budgetState{b.held, b.limit, b.peak, b.refusals}
}

func (b *budget) exceeded() error {
	b.mu.Lock()
	limit := b.limit
	b.mu.Unlock()
	return refusedError(fmt.Sprintf("responses in flight hold more than the client's %s budget", mib(limit)))
}

// reservation is what one request holds from a budget (none when budget is
// nil). The zero value reserves nothing.
type reservation struct {
	budget   *budget
	reserved int
}

// cover makes the reservation cover n bytes held by the request's buffers,
// once n passes keepBytes; the caller checks n > r.reserved first, so the
// common case costs one comparison. It fails with an error naming the budget
// when the bytes do not fit.
func (r *reservation) cover(n int) error {
	if n <= keepBytes || r.budget == nil {
		return nil
	}
	if !r.budget.reserve(n - r.reserved) {
		return r.budget.exceeded()
	}
	r.reserved = n
	return nil
}

// end gives everything reserved back.
func (r *reservation) end() {
	if r.budget != nil && r.reserved > 0 {
		r.budget.release(r.reserved)
	}
	r.reserved = 0
}
