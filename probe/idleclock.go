package probe

import (
	"context"
	"sync"
	"time"
)

// idleClock bounds the time an agentic replay stays idle
// (--system-idle-gap-cap-seconds): while no request is in flight, the
// pending sends move earlier together so the earliest comes at most limit
// after the idle time began. Per-lane timing is otherwise kept: sends are
// only ever moved while nothing runs, and all by the same amount.
type idleClock struct {
	limit time.Duration
	off   bool // no cap: wait is a plain wait

	mu        sync.Mutex
	busy      int       // requests in flight
	idleSince time.Time // when busy last fell to 0
	waits     map[*time.Time]struct{}
	moved     chan struct{} // closed when the pending sends were moved
}

func newIdleClock(limit time.Duration, on bool, now time.Time) *idleClock {
	return &idleClock{limit: limit, off: !on, idleSince: now, waits: map[*time.Time]struct{}{}, moved: make(chan struct{})}
}

// end marks a request over (or a send that was not made).
func (c *idleClock) end() {
	if c.off {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.endLocked()
}

func (c *idleClock) endLocked() {
	c.busy--
	if c.busy == 0 {
		c.idleSince = time.Now()
		c.moveLocked()
	}
}

// endAndWait ends a request and waits for the lane's next send, one step so
// that send is pending before the idle time starts; see waitUntil.
func (c *idleClock) endAndWait(ctx context.Context, at time.Time) (time.Time, bool) {
	return c.wait(ctx, at, true)
}

// waitUntil waits until at, moved earlier while idle, and returns the send's
// (moved) time with the send counted in flight (end uncounts it); false,
// and nothing counted, when ctx ended first.
func (c *idleClock) waitUntil(ctx context.Context, at time.Time) (time.Time, bool) {
	return c.wait(ctx, at, false)
}

func (c *idleClock) wait(ctx context.Context, at time.Time, ending bool) (time.Time, bool) {
	if c.off {
		return at, sleepCtx(ctx, time.Until(at))
	}
	return c.waitOn(ctx, at, ending)
}

// waitOn is wait with the cap on: at is registered, so moves reach it.
func (c *idleClock) waitOn(ctx context.Context, at time.Time, ending bool) (time.Time, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.waits[&at] = struct{}{}
	if ending {
		c.endLocked()
	}
	c.moveLocked()
	for {
		d, moved := time.Until(at), c.moved
		if d <= 0 || ctx.Err() != nil {
			break
		}
		c.mu.Unlock()
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
		case <-t.C:
		case <-moved:
		}
		t.Stop()
		c.mu.Lock()
	}
	delete(c.waits, &at)
	if ctx.Err() != nil {
		return at, false
	}
	c.busy++ // counted before the lock is released: the send is not idle time
	return at, true
}

// moveLocked moves every pending send earlier by the idle time beyond the
// limit, when nothing is in flight. The caller holds mu.
func (c *idleClock) moveLocked() {
	if c.busy > 0 || len(c.waits) == 0 {
		return
	}
	var earliest time.Time
	for at := range c.waits {
		if earliest.IsZero() || at.Before(earliest) {
			earliest = *at
		}
	}
	shift := idleShift(c.idleSince, earliest, c.limit)
	if shift <= 0 {
		return
	}
	for at := range c.waits {
		*at = at.Add(-shift)
	}
	close(c.moved)
	c.moved = make(chan struct{})
}

// idleShift is how much earlier the pending sends move so the earliest comes
// at most limit after the idle time began.
func idleShift(idleSince, earliest time.Time, limit time.Duration) time.Duration {
	return earliest.Sub(idleSince) - limit
}
