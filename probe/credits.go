package probe

import (
	"sync"
	"sync/atomic"
	"time"
)

// credits decide whether another request may start.
type credits interface{ take() bool }

type countCredits struct {
	left   atomic.Int64
	onLast func() // optional: called when the last credit is taken
}

func newCountCredits(n int) *countCredits {
	c := &countCredits{}
	c.left.Store(int64(n))
	return c
}

func (c *countCredits) take() bool {
	left := c.left.Add(-1)
	if left == 0 && c.onLast != nil {
		c.onLast()
	}
	return left >= 0
}

// deadlineCredits allow new requests until the duration is over.
type deadlineCredits struct{ end time.Time }

func newDeadlineCredits(end time.Time) deadlineCredits { return deadlineCredits{end} }

func (d deadlineCredits) take() bool { return time.Now().Before(d.end) }

// bothCredits allow a request while both allow it: a deadline first, so a
// count is not spent after it.
type bothCredits struct{ first, second credits }

func (b bothCredits) take() bool { return b.first.take() && b.second.take() }

// unlimited runs until the context ends (the daemon).
type unlimited struct{}

func (unlimited) take() bool { return true }

// sessionCredits count conversations, not requests (--num-warmup-sessions):
// a started conversation's later turns take none. Its onLast is called once
// the last conversation has been started and every started one has sent its
// last turn (or stopped): only then has the warmup sent everything, and its
// grace period may start (a started conversation's later turns are still to go).
type sessionCredits struct {
	*countCredits
	sending *atomic.Int64 // conversations started that have more to send
}

func newSessionCredits(n int) sessionCredits {
	return sessionCredits{countCredits: newCountCredits(n), sending: new(atomic.Int64)}
}

func (s sessionCredits) take() bool {
	if s.left.Add(-1) < 0 {
		return false
	}
	s.sending.Add(1)
	return true
}

// sentAll marks one started conversation as having sent all it will send.
func (s sessionCredits) sentAll() {
	if s.sending.Add(-1) == 0 && s.left.Load() <= 0 && s.onLast != nil {
		s.onLast()
	}
}

// conversationDone returns what a conversation calls, once, when it will send
// nothing more: it tells sessionCredits in cr, if any.
func conversationDone(cr credits) func() {
	s, ok := sessionsIn(cr)
	if !ok {
		return func() {}
	}
	var once sync.Once
	return func() { once.Do(s.sentAll) }
}

// sessionsIn finds the sessionCredits in cr, however deep in bothCredits
// (a --warmup-duration wraps them in its deadline).
func sessionsIn(cr credits) (sessionCredits, bool) {
	switch c := cr.(type) {
	case sessionCredits:
		return c, true
	case bothCredits:
		if s, ok := sessionsIn(c.first); ok {
			return s, true
		}
		return sessionsIn(c.second)
	}
	return sessionCredits{}, false
}

// takeLater takes the credit of a conversation's later turn: none from
// sessionCredits, the same as a first turn's from any other.
func takeLater(cr credits) bool {
	switch c := cr.(type) {
	case sessionCredits:
		return true
	case bothCredits:
		return takeLater(c.first) && takeLater(c.second)
	}
	return cr.take()
}

// startsLeft is how many more conversations cr lets start, or -1 when it sets
// no number (a deadline, the daemon's unlimited).
func startsLeft(cr credits) int64 {
	switch c := cr.(type) {
	case *countCredits:
		return max(c.left.Load(), 0)
	case sessionCredits:
		return max(c.left.Load(), 0)
	case bothCredits:
		a, b := startsLeft(c.first), startsLeft(c.second)
		if a < 0 || b < 0 {
			return max(a, b)
		}
		return min(a, b)
	}
	return -1
}

// lanesFor is how many closed-loop lanes to start for concurrency: never more
// than the conversations cr still lets start (a lane past them would only wait
// for nothing), and at least one.
func lanesFor(concurrency int, cr credits) int {
	n := int64(max(concurrency, 1))
	if left := startsLeft(cr); left >= 0 {
		n = min(n, max(left, 1))
	}
	return int(n)
}
