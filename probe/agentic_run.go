package probe

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// cacheWarmupGrace is how long the accelerated cache warmup's requests in
// flight at its end may run when no --agentic-warmup-grace-period is given
// (AIPerf's default for that phase).
const cacheWarmupGrace = 300 * time.Second

// agenticWarmup places the lanes and runs the warmup: each lane's priming
// request (the turn before its t*), then, with Agentic.CacheWarmup, the
// accelerated continuation. A priming request that fails stops the run, as
// AIPerf aborts rather than measure a degraded set of lanes.
func (e *engine) agenticWarmup(ctx, reqCtx context.Context) error {
	n := max(e.cfg.Concurrency, 1)
	e.lanes = make([]*lane, n)
	for i := range e.lanes {
		e.lanes[i] = newLane(e.nextConversation(), i, e.cfg.Seed, e.cfg.Agentic)
		e.lanes[i].session = e.sessions.Add(1) - 1
	}
	a := e.cfg.Agentic
	emit := func(r *record.Record) {
		r.Phase = record.PhaseWarmup
		e.emit(r)
	}
	var mu sync.Mutex
	var failed []string
	primed := func(r *record.Record) {
		if r.Error != nil && !r.Cancelled { // one the grace period cancelled is let go
			mu.Lock()
			failed = append(failed, r.ConversationID)
			mu.Unlock()
		}
		emit(r)
	}
	primeCtx, allSent := reqCtx, func() {}
	if a.WarmupGraceSet {
		var stop func()
		primeCtx, allSent, stop = graceAfter(reqCtx, a.WarmupGrace)
		defer stop()
	}
	e.prime(ctx, primeCtx, primed, allSent)
	if ctx.Err() != nil {
		return nil // interrupted: requests cut short are no failure of the lanes
	}
	if len(failed) > 0 {
		return fmt.Errorf("trajectory warmup failed for %d trace(s): %s; run aborted to keep the measurement honest", len(failed), strings.Join(failed, ", "))
	}
	if a.CacheWarmup > 0 {
		e.cacheWarmup(ctx, reqCtx, emit)
	}
	return nil
}

// prime sends every lane's priming request at its warmup offset and waits
// for them all; allSent is called once the last one was sent.
func (e *engine) prime(ctx, reqCtx context.Context, emit func(*record.Record), allSent func()) {
	start := time.Now()
	at := warmupAt(e.lanes, e.cfg.Agentic)
	var wg sync.WaitGroup
	var left sync.WaitGroup
	for i, l := range e.lanes {
		if l.next == 0 {
			continue // nothing of it was sent before t*
		}
		left.Add(1)
		wg.Add(1)
		go func(l *lane, at time.Time) {
			defer wg.Done()
			ok := sleepCtx(ctx, time.Until(at))
			left.Done()
			if !ok {
				return
			}
			w := e.workers.Get().(*worker)
			defer e.workers.Put(w)
			e.sendTurn(ctx, reqCtx, w, l.conv, l.next-1, l.session, &l.digest, arrival{at: at}, false, emit)
			l.ended = time.Now()
		}(l, start.Add(at[i]))
	}
	go func() { left.Wait(); allSent() }()
	wg.Wait()
}

// cacheWarmup continues every lane for Agentic.CacheWarmup without the
// recorded delays and with one-token answers, so the server's cache fills
// as the replay would fill it, then lets the requests in flight finish
// (within the warmup grace, else cacheWarmupGrace).
func (e *engine) cacheWarmup(ctx, reqCtx context.Context, emit func(*record.Record)) {
	grace := cacheWarmupGrace
	if e.cfg.Agentic.WarmupGraceSet {
		grace = e.cfg.Agentic.WarmupGrace
	}
	end := time.Now().Add(e.cfg.Agentic.CacheWarmup)
	schedCtx, cancel := context.WithDeadline(ctx, end)
	defer cancel()
	reqCtx, cancelReq := context.WithDeadline(reqCtx, end.Add(grace))
	defer cancelReq()
	short := map[string]*inputs.Conversation{}
	var mu sync.Mutex
	oneTok := func(c *inputs.Conversation) *inputs.Conversation {
		mu.Lock()
		defer mu.Unlock()
		if s, ok := short[c.ID]; ok && len(s.Turns) == len(c.Turns) {
			return s
		}
		s := oneTokenConversation(c)
		short[c.ID] = s
		return s
	}
	var wg sync.WaitGroup
	for _, l := range e.lanes {
		wg.Add(1)
		go func(l *lane) {
			defer wg.Done()
			w := e.workers.Get().(*worker)
			defer e.workers.Put(w)
			for schedCtx.Err() == nil {
				if !e.sendTurn(schedCtx, reqCtx, w, oneTok(l.conv), l.next, l.session, &l.digest, arrival{at: time.Now()}, false, emit) {
					return
				}
				l.ended = time.Now()
				e.advance(l)
			}
		}(l)
	}
	wg.Wait()
}

// advance moves a lane past the turn it sent: to its next turn, or to the
// first turn of the next conversation when its own is over.
func (e *engine) advance(l *lane) {
	l.next++
	if l.next < len(l.conv.Turns) {
		return
	}
	l.conv, l.next, l.digest = e.nextConversation(), 0, ""
	l.session = e.sessions.Add(1) - 1
}

// runAgentic is the agentic replay's profiling phase: each lane sends from
// its next turn, the first at its recorded offset after t* (or, after a
// cache warmup, the rest of its turn's delay), the later ones after their
// recorded delays, every request taking a credit.
func (e *engine) runAgentic(ctx, reqCtx context.Context, cr credits, emit func(*record.Record)) {
	a := e.cfg.Agentic
	start := time.Now()
	clock := newIdleClock(a.IdleCap, a.IdleCapSet, start)
	first := profilingAt(e.lanes, a)
	if a.CacheWarmup > 0 {
		first = residualAt(e.lanes, a, start)
	}
	var wg sync.WaitGroup
	for i, l := range e.lanes {
		wg.Add(1)
		go func(l *lane, at time.Time) {
			defer wg.Done()
			w := e.workers.Get().(*worker)
			defer e.workers.Put(w)
			at, ok := clock.waitUntil(ctx, at)
			for ok {
				if !cr.take() {
					clock.end()
					return
				}
				sent := e.sendTurn(ctx, reqCtx, w, l.conv, l.next, l.session, &l.digest, arrival{at: at}, l.next == len(l.conv.Turns)-1, emit)
				if !sent || reqCtx.Err() != nil {
					clock.end()
					return
				}
				e.advance(l)
				at, ok = clock.endAndWait(ctx, time.Now().Add(l.conv.Turns[l.next].Delay))
			}
		}(l, start.Add(first[i]))
	}
	wg.Wait()
}

// residualAt is, after a cache warmup, when each lane's next request is
// sent after profiling starts: what is left of its recorded delay since the
// lane's last request ended (0 with --burst-phase-starts).
func residualAt(lanes []*lane, a Agentic, start time.Time) []time.Duration {
	out := make([]time.Duration, len(lanes))
	if a.BurstStarts {
		return out
	}
	for i, l := range lanes {
		out[i] = max(0, l.conv.Turns[l.next].Delay-start.Sub(l.ended))
	}
	return out
}

// maxTokensKey matches the output-length field of a chat, completions or
// responses body.
var maxTokensKey = regexp.MustCompile(`("(?:max_tokens|max_completion_tokens|max_output_tokens)"\s*:\s*)\d+`)

// oneTokenConversation is c with every turn asking one output token: the
// accelerated cache warmup primes the prefill, not the decode. The body's
// segments keep their number, so a cache-bust spot still fits.
func oneTokenConversation(c *inputs.Conversation) *inputs.Conversation {
	out := &inputs.Conversation{ID: c.ID, Turns: make([]inputs.Turn, len(c.Turns))}
	for i, t := range c.Turns {
		body := make(inputs.Body, len(t.Body))
		for j, seg := range t.Body {
			body[j] = maxTokensKey.ReplaceAll(seg, []byte("${1}1"))
		}
		t.Body = body
		t.MaxTokens = min(t.MaxTokens, 1)
		out.Turns[i] = t
	}
	return out
}
