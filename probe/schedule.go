package probe

import (
	"context"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// runClosed keeps Concurrency requests in flight: each worker starts its next
// request as soon as the last one ended. Starts are staggered across the first
// few milliseconds so the streams do not move in lock-step.
func (e *engine) runClosed(ctx, reqCtx context.Context, cr credits, emit func(*record.Record)) {
	var wg sync.WaitGroup
	n := e.cfg.Concurrency
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
			for ctx.Err() == nil && cr.take() {
				e.conversation(reqCtx, w, e.nextConversation(), cr, time.Now(), emit)
			}
		}(i)
	}
	wg.Wait()
}

// runRate starts requests at scheduled arrival times (open loop). With a
// concurrency cap a request waits for a free slot after its arrival; the wait
// shows as schedule lag rather than being hidden.
func (e *engine) runRate(ctx, reqCtx context.Context, cr credits, emit func(*record.Record)) {
	var slots chan struct{}
	if e.cfg.Concurrency > 0 {
		slots = make(chan struct{}, e.cfg.Concurrency)
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	p := newPacer(time.Now())
	for ctx.Err() == nil && cr.take() {
		at := p.next(e.gap())
		if !p.wait(ctx, at) {
			return
		}
		if slots != nil {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
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
			e.conversation(reqCtx, w, e.nextConversation(), cr, at, emit)
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
// until ctx ends (the daemon's "N requests every interval").
func (e *engine) runBursts(ctx context.Context, emit func(*record.Record)) {
	n := max(e.cfg.RequestCount, 1)
	tick := time.NewTicker(e.cfg.BurstInterval)
	defer tick.Stop()
	for {
		e.runClosed(ctx, ctx, newCountCredits(n), emit)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// runFixed sends every turn at its dataset timestamp, relative to the start.
func (e *engine) runFixed(ctx, reqCtx context.Context, emit func(*record.Record)) {
	type item struct {
		conv *inputs.Conversation
		at   time.Duration
	}
	var items []item
	for i := range e.ds.Conversations {
		c := &e.ds.Conversations[i]
		if len(c.Turns) > 0 && c.Turns[0].HasTimestamp {
			items = append(items, item{c, c.Turns[0].Timestamp})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].at < items[j].at })
	var wg sync.WaitGroup
	defer wg.Wait()
	t0 := time.Now()
	p := newPacer(t0)
	cr := unlimited{}
	for _, it := range items {
		at := t0.Add(it.at)
		if !p.wait(ctx, at) {
			return
		}
		wg.Add(1)
		go func(c *inputs.Conversation, at time.Time) {
			defer wg.Done()
			w := e.workers.Get().(*worker)
			defer e.workers.Put(w)
			e.conversation(reqCtx, w, c, cr, at, emit)
		}(it.conv, at)
	}
}

// pacer keeps an absolute schedule so errors do not accumulate, sleeps until
// shortly before each deadline and spins (yielding) for the rest, because Go
// timers oversleep sub-millisecond waits.
type pacer struct {
	at time.Time
}

// maxCatchUp bounds how far behind the schedule may fall before it is rebased:
// beyond it, the generator is saturated and catching up would send a burst.
const maxCatchUp = time.Second

func newPacer(start time.Time) *pacer { return &pacer{at: start} }

func (p *pacer) next(gap time.Duration) time.Time {
	p.at = p.at.Add(gap)
	if behind := time.Since(p.at); behind > maxCatchUp {
		p.at = time.Now().Add(-maxCatchUp)
	}
	return p.at
}

const spinWindow = 2 * time.Millisecond

func (p *pacer) wait(ctx context.Context, at time.Time) bool {
	if d := time.Until(at) - spinWindow; d > 0 && !sleepCtx(ctx, d) {
		return false
	}
	for time.Now().Before(at) {
		runtime.Gosched()
	}
	return ctx.Err() == nil
}
