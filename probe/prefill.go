package probe

import (
	"context"
	"time"
)

// Prefill is AIPerf's prefill concurrency (--prefill-concurrency and its
// ramp): a limit on the requests sent and still waiting for their first
// token. As in AIPerf, every turn takes a slot before it is sent and gives it
// back at its first token, or when it ends without one. 0 Limit: none.
type Prefill struct {
	Limit int
	// Ramp raises the limit from 1 to Limit linearly over this long, one
	// step at a time, from the phase's start; 0: no ramp.
	Ramp time.Duration
}

// prefillGate holds a phase's prefill slots: a request in prefill holds one
// token of the channel.
type prefillGate struct{ slots chan struct{} }

// newPrefillGate is the phase's gate, nil without a limit. With a ramp it
// holds all slots but one and frees them on the ramp's schedule until ctx ends.
func newPrefillGate(ctx context.Context, p Prefill) *prefillGate {
	if p.Limit <= 0 {
		return nil
	}
	g := &prefillGate{slots: make(chan struct{}, p.Limit)}
	if p.Ramp > 0 && p.Limit > 1 {
		for range p.Limit - 1 {
			g.slots <- struct{}{}
		}
		start := time.Now()
		go func() {
			for _, off := range concurrencyRampOffsets(p.Limit, p.Ramp)[1:] {
				if !sleepCtx(ctx, time.Until(start.Add(off))) {
					return
				}
				<-g.slots // held slots are in the channel: never blocks
			}
		}()
	}
	return g
}

// acquire takes a slot and returns how long it waited for one (0 when one
// was free); ok is false when ctx ended first.
func (g *prefillGate) acquire(ctx context.Context) (waited time.Duration, ok bool) {
	return takeSlot(ctx, g.slots)
}

// prefillSlot is one request's slot: release gives it back once, at the
// first token or at the request's end, whichever comes first. Only the
// request's own goroutine calls it.
type prefillSlot struct {
	g    *prefillGate
	held bool
}

func (s *prefillSlot) release() {
	if s.held {
		s.held = false
		<-s.g.slots
	}
}
