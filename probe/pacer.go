package probe

import (
	"context"
	"runtime"
	"time"
)

// pacer keeps an absolute schedule so errors do not accumulate, sleeps until
// shortly before each deadline and spins (yielding) for the rest, because Go
// timers oversleep sub-millisecond waits.
type pacer struct {
	at time.Time
}

// maxCatchUp bounds how far behind the schedule the generator may fall before
// the schedule is rebased: beyond it the generator is saturated, and catching up
// would send a burst. The lag stays visible in every record's intended start.
const maxCatchUp = time.Second

// spinWindow is how long before a deadline the pacer stops sleeping and spins.
const spinWindow = 2 * time.Millisecond

func newPacer(start time.Time) *pacer { return &pacer{at: start} }

// next advances the schedule by gap and returns the new arrival time.
func (p *pacer) next(gap time.Duration) time.Time {
	p.at = p.at.Add(gap)
	if behind := time.Since(p.at); behind > maxCatchUp {
		p.at = time.Now().Add(-maxCatchUp)
	}
	return p.at
}

// rebase moves the schedule to now when it lies in the past: after waiting for
// a free concurrency slot the next arrivals follow from the send, with no
// catch-up burst (AIPerf's rate with a concurrency cap, spec §8).
func (p *pacer) rebase(now time.Time) {
	if now.After(p.at) {
		p.at = now
	}
}

// wait blocks until at; false when ctx ended first.
func (p *pacer) wait(ctx context.Context, at time.Time) bool { return waitUntil(ctx, at) }

// waitUntil sleeps until shortly before at, then spins; false when ctx ended.
func waitUntil(ctx context.Context, at time.Time) bool {
	if d := time.Until(at) - spinWindow; d > 0 && !sleepCtx(ctx, d) {
		return false
	}
	for time.Now().Before(at) {
		if ctx.Err() != nil {
			return false
		}
		runtime.Gosched()
	}
	return ctx.Err() == nil
}
