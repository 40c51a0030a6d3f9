package probe

import (
	"sync/atomic"
	"time"
)

// credits decide whether another request may start.
type credits interface{ take() bool }

type countCredits struct{ left atomic.Int64 }

func newCountCredits(n int) *countCredits {
	c := &countCredits{}
	c.left.Store(int64(n))
	return c
}

func (c *countCredits) take() bool { return c.left.Add(-1) >= 0 }

// deadlineCredits allow new requests until the duration is over.
type deadlineCredits struct{ end time.Time }

func newDeadlineCredits(end time.Time) deadlineCredits { return deadlineCredits{end} }

func (d deadlineCredits) take() bool { return time.Now().Before(d.end) }

// unlimited runs until the context ends (the daemon).
type unlimited struct{}

func (unlimited) take() bool { return true }
