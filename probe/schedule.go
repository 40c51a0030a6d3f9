package probe

import (
	"context"
	"sync"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Every scheduler takes two contexts: ctx ends scheduling (no new request is
// sent once it is done) and reqCtx is what requests run on, so the daemon can
// let requests in flight drain after scheduling stopped.

// runClosed keeps Concurrency requests in flight: each worker starts its next
// request as soon as the last one ended. Starts are staggered across the first
// few milliseconds so the streams do not move in lock-step. A non-zero first is
// the intended start of the first wave (a burst's tick).
func (e *engine) runClosed(ctx, reqCtx context.Context, cr credits, first time.Time, emit func(*record.Record)) {
	var wg sync.WaitGroup
	n := max(e.cfg.Concurrency, 1)
	stagger := min(time.Millisecond, 10*time.Millisecond/time.Duration(n))
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if !sleepCtx(ctx, time.Duration(i)*stagger) {
				return
			}
			w := e.workers.Get().(*worker)
			defer e.workers.Put(w)
			intended := time.Now()
			if !first.IsZero() {
				intended = first.Add(time.Duration(i) * stagger)
			}
			for ctx.Err() == nil && cr.take() {
				e.conversation(ctx, reqCtx, w, e.nextConversation(), cr, intended, emit)
				intended = time.Now()
			}
		}(i)
	}
	wg.Wait()
}

// runRate starts requests at scheduled arrival times (open loop). With a
// concurrency cap a request waits for a free slot after its arrival; the wait
// shows as schedule lag rather than being hidden, and the following arrivals
// are counted from the send, without a catch-up burst (spec §8).
func (e *engine) runRate(ctx, reqCtx context.Context, cr credits, emit func(*record.Record)) {
	var slots chan struct{}
	if e.cfg.Concurrency > 0 {
		slots = make(chan struct{}, e.cfg.Concurrency)
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	p := newPacer(time.Now())
	first := true
	for ctx.Err() == nil && cr.take() {
		at := time.Now()
		if first {
			first = false // the first request leaves at once, like AIPerf's
		} else {
			at = p.next(e.gap())
		}
		if !p.wait(ctx, at) {
			return
		}
		if slots != nil {
			select {
			case slots <- struct{}{}:
			default:
				select {
				case slots <- struct{}{}:
				case <-ctx.Done():
					return
				}
				p.rebase(time.Now())
			}
		}
		wg.Add(1)
		go func(at time.Time) {
			defer wg.Done()
			if slots != nil {
				defer func() { <-slots }()
			}
			w := e.workers.Get().(*worker)
			defer e.workers.Put(w)
			e.conversation(ctx, reqCtx, w, e.nextConversation(), cr, at, emit)
		}(at)
	}
}

// gap is the time to the next arrival: exponential (Poisson) or constant.
func (e *engine) gap() time.Duration {
	mean := float64(time.Second) / e.cfg.RequestRate
	if !e.cfg.Poisson {
		return time.Duration(mean)
	}
	e.rngMu.Lock()
	defer e.rngMu.Unlock()
	return time.Duration(e.rng.ExpFloat64() * mean)
}

// runBursts sends RequestCount requests at Concurrency every BurstInterval,
// until ctx ends (the daemon's "N requests every interval"). Bursts keep an
// absolute schedule; a burst that overruns its interval makes the next one start
// at once (its lag shows) and skips the ticks it missed entirely.
func (e *engine) runBursts(ctx, reqCtx context.Context, emit func(*record.Record)) {
	n := max(e.cfg.RequestCount, 1)
	every := e.cfg.BurstInterval
	start := time.Now()
	for k := 0; ; k++ {
		at := start.Add(time.Duration(k) * every)
		if missed := time.Since(at) / every; missed > 0 {
			k += int(missed)
			at = start.Add(time.Duration(k) * every)
		}
		if !waitUntil(ctx, at) {
			return
		}
		e.runClosed(ctx, reqCtx, newCountCredits(n), at, emit)
	}
}

// runFixed sends every planned conversation at its trace timestamp, relative
// to the start (see fixedSchedule for the window and the zero).
func (e *engine) runFixed(ctx, reqCtx context.Context, emit func(*record.Record)) {
	var wg sync.WaitGroup
	defer wg.Wait()
	plan := e.fixed
	plan.start = time.Now()
	cr := unlimited{}
	for _, it := range plan.items {
		at := plan.when(it.at)
		if !waitUntil(ctx, at) {
			return
		}
		wg.Add(1)
		go func(c *inputs.Conversation, at time.Time) {
			defer wg.Done()
			w := e.workers.Get().(*worker)
			defer e.workers.Put(w)
			e.conversation(ctx, reqCtx, w, c, cr, at, emit)
		}(it.conv, at)
	}
}
