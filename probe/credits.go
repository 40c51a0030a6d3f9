package probe

import (
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
// a started conversation's later turns take none.
type sessionCredits struct{ *countCredits }

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
