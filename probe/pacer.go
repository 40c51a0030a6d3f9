package probe

import (
	"context"
	"runtime"
	"time"
)

// pacer keeps an absolute schedule so errors do not accumulate. Its wait is
// precise: a timer sleep to within timerWindow of the deadline (Go timers
// oversleep sub-millisecond waits by about a millisecond), then a kernel sleep
// (nanosleep, high-resolution) to within spinWindow, then a short busy spin.
type pacer struct {
	at time.Time
}

// maxCatchUp bounds how far behind the schedule the generator may fall before
// the schedule is rebased: beyond it the generator is saturated, and catching up
// would send a burst. The lag stays visible in every record's intended start.
const maxCatchUp = time.Second

// timerWindow is how long before a deadline the waits stop trusting Go timers.
const timerWindow = 2 * time.Millisecond

// spinWindow is how long before a deadline the precise wait stops sleeping in
// the kernel and spins. The kernel's default timer slack for a normal thread is
// 50 µs, so a nanosleep ending spinWindow early still wakes before the deadline.
const spinWindow = 100 * time.Microsecond

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
// catch-up burst (as AIPerf paces --request-rate under --concurrency).
func (p *pacer) rebase(now time.Time) {
	if now.After(p.at) {
		p.at = now
	}
}

// wait blocks until at with the precise wait; false when ctx ended first. Only
// the one dispatching goroutine of a rate run uses it: the kernel sleep holds
// an OS thread.
func (p *pacer) wait(ctx context.Context, at time.Time) bool {
	if d := time.Until(at) - timerWindow; d > 0 && !sleepCtx(ctx, d) {
		return false
	}
	for d := time.Until(at) - spinWindow; d > 0; d = time.Until(at) - spinWindow {
		kernelSleep(d) // may return early (a signal): the loop sleeps the rest
		if ctx.Err() != nil {
			return false
		}
	}
	for time.Now().Before(at) { // at most spinWindow plus the kernel's early wake
	}
	return ctx.Err() == nil
}

// waitUntil sleeps until shortly before at, then spins yielding the processor;
// false when ctx ended. For waits many goroutines may do at once (fixed
// schedule, bursts), where a kernel sleep each would hold an OS thread each.
func waitUntil(ctx context.Context, at time.Time) bool {
	if d := time.Until(at) - timerWindow; d > 0 && !sleepCtx(ctx, d) {
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
