package probe

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Every scheduler takes two contexts: ctx ends scheduling (no new request is
// sent once it is done) and reqCtx is what requests run on, so the daemon can
// let requests in flight drain after scheduling stopped.

// closedSpread is the longest window over which a closed loop's streams
// start: long enough that equal-length streams (a deterministic server) do not
// move in lock-step and their chunks interleave instead of arriving together,
// short enough to be a negligible ramp. Each stream gets 1 ms of it, so small
// loops start at once as before.
const closedSpread = 100 * time.Millisecond

// burstStagger is the spacing of a burst's requests: a burst stays a burst.
const burstStagger = 10 * time.Millisecond

// startOffsets are the workers' start times relative to the loop's start.
// Continuous loops spread them over closedSpread, one stratum per worker with a
// random phase inside it (bounded jitter, seeded), so the streams' phases cover
// the window evenly without a regular grid that could alias with the server's
// inter-token latency. A burst (tick set) keeps its requests within
// burstStagger of the tick.
func (e *engine) startOffsets(n int, burst bool) []time.Duration {
	out := make([]time.Duration, n)
	if burst {
		step := min(time.Millisecond, burstStagger/time.Duration(n))
		for i := range out {
			out[i] = time.Duration(i) * step
		}
		return out
	}
	window := min(closedSpread, time.Duration(n)*time.Millisecond)
	e.rngMu.Lock()
	defer e.rngMu.Unlock()
	for i := range out {
		out[i] = time.Duration((float64(i) + e.rng.Float64()) * float64(window) / float64(n))
	}
	return out
}

// runClosed keeps Concurrency requests in flight: each worker starts its next
// request as soon as the last one ended. Worker starts are spread
// (startOffsets) so the streams do not move in lock-step. A non-zero first is
// the intended start of a burst's wave (its tick).
func (e *engine) runClosed(ctx, reqCtx context.Context, cr credits, first time.Time, l load, emit func(*record.Record)) {
	var wg sync.WaitGroup
	n := lanesFor(l.concurrency, cr)
	start := first
	if start.IsZero() {
		start = time.Now()
	}
	offsets := e.startOffsets(n, !first.IsZero())
	ramped := first.IsZero() && l.ramps.Concurrency > 0 // a burst does not ramp
	if ramped {
		offsets = concurrencyRampOffsets(n, l.ramps.Concurrency)
	}
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(at time.Time) {
			defer wg.Done()
			if !sleepCtx(ctx, time.Until(at)) {
				return
			}
			w := e.workers.Get().(*worker)
			defer e.workers.Put(w)
			intended := at // a burst's or a ramp's schedule; the closed loop's spread is no promise
			if first.IsZero() && !ramped {
				intended = time.Now()
			}
			for ctx.Err() == nil && cr.take() {
				e.conversation(ctx, reqCtx, w, e.nextConversation(), cr, arrival{at: intended}, emit)
				intended = time.Now()
			}
		}(start.Add(offsets[i]))
	}
	wg.Wait()
}

// runRate starts requests at scheduled arrival times (open loop). Requests in
// flight are capped by --concurrency, or by DefaultRateInFlight when it is not
// set (as AIPerf's connection pool caps them): a request waits for a free slot
// after its arrival; the wait shows as schedule lag (slot wait) rather than
// being hidden, and the following arrivals are counted from the send, without a
// catch-up burst (as AIPerf paces --request-rate under --concurrency).
//
// This goroutine only dispatches: it waits precisely for each arrival and
// hands the intended time to an idle worker goroutine over a channel, then
// yields so the worker sends at once on this processor. A worker is started
// only when none is idle, so no goroutine is created per request in steady
// state, and workers stay until the run ends.
func (e *engine) runRate(ctx, reqCtx context.Context, cr credits, l load, emit func(*record.Record)) {
	limit := l.concurrency
	if limit <= 0 {
		limit = rateInFlightCap // a stalled server must not exhaust the client's file descriptors
	}
	slots := make(chan struct{}, limit)
	jobs := make(chan arrival)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(jobs)
	work := func(a arrival) {
		defer wg.Done()
		w := e.workers.Get().(*worker)
		defer e.workers.Put(w)
		for ok := true; ok; a, ok = <-jobs {
			e.conversation(ctx, reqCtx, w, e.nextConversation(), cr, a, emit)
			<-slots
		}
	}
	start := time.Now()
	if slots != nil && l.ramps.Concurrency > 0 {
		rampCtx, stop := context.WithCancel(ctx)
		defer stop() // before wg.Wait: the ramp need not run out
		e.rampSlots(rampCtx, slots, start, l.ramps.Concurrency, &wg)
	}
	curve := l.curve()
	done := 0.0 // arrivals of the unit-rate process so far (rateCurve)
	p := newPacer(start)
	first := true
	for ctx.Err() == nil && cr.take() {
		at := time.Now()
		switch {
		case first:
			first = false // the first request leaves at once, like AIPerf's
		case curve != nil:
			u := e.unitGap(l)
			at = p.next(time.Duration((curve.offset(done+u) - curve.offset(done)) * float64(time.Second)))
			done += u
		default:
			at = p.next(e.gap(l))
		}
		if !p.wait(ctx, at) {
			return
		}
		a := arrival{at: at}
		waited, ok := takeSlot(ctx, slots)
		if !ok {
			return
		}
		if waited > 0 { // the wait counts from the intended time
			now := time.Now()
			a.slotWait = now.Sub(at)
			p.rebase(now)
		}
		select {
		case jobs <- a:
		default:
			wg.Add(1)
			go work(a)
		}
		runtime.Gosched() // the woken worker runs now, on this processor
	}
}

// arrival is when a conversation is meant to start and, for an open-loop rate,
// how long it waited for a free --concurrency slot after that (part of its
// schedule lag that the server's pace, not the client, caused).
type arrival struct {
	at       time.Time
	slotWait time.Duration
}

// gap is the time to the next arrival, drawn in the --arrival-pattern's shape.
func (e *engine) gap(l load) time.Duration {
	e.rngMu.Lock()
	defer e.rngMu.Unlock()
	return l.arrivals.gap(e.rng, l.rate)
}

// unitGap is a gap of the --arrival-pattern at rate 1, in seconds: the step of
// the unit-rate process a rate ramp maps onto its schedule.
func (e *engine) unitGap(l load) float64 {
	e.rngMu.Lock()
	defer e.rngMu.Unlock()
	return l.arrivals.gap(e.rng, 1).Seconds()
}

// rampSlots holds all but one of a rate run's --concurrency slots and frees
// them one by one on the concurrency ramp's schedule from start.
func (e *engine) rampSlots(ctx context.Context, slots chan struct{}, start time.Time, ramp time.Duration, wg *sync.WaitGroup) {
	n := cap(slots)
	for range n - 1 {
		slots <- struct{}{}
	}
	offsets := concurrencyRampOffsets(n, ramp)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, off := range offsets[1:] {
			if !sleepCtx(ctx, time.Until(start.Add(off))) {
				return
			}
			<-slots // never blocks: held slots plus requests in flight are in the channel
		}
	}()
}

// runBursts sends RequestCount requests at Concurrency every BurstInterval,
// until ctx ends (the daemon's "N requests every interval"). Bursts keep an
// absolute schedule; a burst that overruns its interval makes the next one start
// at once (its lag shows) and skips the ticks it missed entirely.
func (e *engine) runBursts(ctx, reqCtx context.Context, l load, emit func(*record.Record)) {
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
		e.runClosed(ctx, reqCtx, newCountCredits(n), at, l, emit)
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
			e.conversation(ctx, reqCtx, w, c, cr, arrival{at: at}, emit)
		}(it.conv, at)
	}
}
