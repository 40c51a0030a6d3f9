package daemon

import (
	"context"
	"sync"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/oneline"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Default bounds of the pause while a target is unreachable.
const (
	DefaultBackoffMin = 500 * time.Millisecond
	DefaultBackoffMax = 30 * time.Second
)

// unreachableAfter is how many connection failures in a row, of requests sent
// since the last pause, start a pause: one stray reset does not.
const unreachableAfter = 2

// backoff throttles a scenario whose target cannot be reached (connection
// refused, DNS failure, TLS error: record.ReasonConnection) or answers nothing
// but errors (HTTP 4xx/5xx, an error event, no content). Such requests fail in
// microseconds, so a closed loop would flood a dead target or a gateway with
// thousands of requests a second. A pause starts after unreachableAfter fresh
// connection failures in a row, or after as many failures in a row as the
// scenario keeps in flight (at least unreachableAfter) for other errors, so a
// server that fails some requests at random is not paused: only one whose
// every request fails is. The sink call is then held for a pause that doubles
// from min up to max, at least the server's Retry-After (up to max); the first
// success resets it. Timeouts and cancellations never pause: they are already
// bounded by time. The engine hands records over from its workers one at a
// time, so holding the sink holds every worker: no request is sent during the
// pause, and schedule lag and latencies of later requests are not distorted by
// it. Every failure is still recorded before the pause, so the error counters
// keep moving and /metrics keeps answering.
type backoff struct {
	min, max time.Duration
	inFlight int // the scenario's concurrency: a run of errors this long means every request fails
	// targets is how many targets the scenario sends to in turn. With more
	// than one, a failing target is paused alone (skip tells the engine to
	// leave it out) while another still answers; the sink is held only when
	// every target is paused.
	targets int
	logf    func(format string, a ...any)
	// paused and resumed, when set, report each pause (the collector's
	// aiperf_probe_pauses_total and aiperf_probe_pause_seconds_total).
	paused  func(r *record.Record)
	resumed func(r *record.Record, d time.Duration)

	mu     sync.Mutex
	state  map[string]*targetBackoff // by target name
	ending map[*time.Timer]func()    // pauses taken alone: the timer reports the end
}

// targetBackoff is the backoff state of one target: its failures are counted
// apart from the others', so a live target between a dead one's requests does
// not reset the dead one's run of failures.
type targetBackoff struct {
	fails     int           // fresh failures in a row (timeouts and cancellations break the run)
	next      time.Duration // the next pause; 0 = min
	resumedNs int64         // wall ns when the last pause ends; older requests are stale
	pauses    int           // pauses since the last success
	until     time.Time     // end of a pause taken alone: skip is true until then
}

func newBackoff(lo, hi time.Duration, inFlight int, logf func(string, ...any)) *backoff {
	b := &backoff{}
	b.configure(lo, hi, inFlight, logf)
	return b
}

// configure sets the bounds of the pauses, the scenario's concurrency and the
// log, before the scenario runs.
func (b *backoff) configure(lo, hi time.Duration, inFlight int, logf func(string, ...any)) {
	if lo <= 0 {
		lo = DefaultBackoffMin
	}
	if hi < lo {
		hi = max(lo, DefaultBackoffMax)
	}
	b.min, b.max, b.inFlight, b.logf = lo, hi, inFlight, logf
}

// target returns the state of a target; b.mu is held.
func (b *backoff) target(name string) *targetBackoff {
	if b.state == nil {
		b.state = map[string]*targetBackoff{}
	}
	st := b.state[name]
	if st == nil {
		st = &targetBackoff{}
		b.state[name] = st
	}
	return st
}

// skip reports whether the engine should leave target out of its turns for
// now: it is paused alone.
func (b *backoff) skip(target string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.state[target]
	return st != nil && time.Now().Before(st.until)
}

// after is called with each finished record; it returns once the scenario may
// send again, or at once when ctx ends. A target paused alone does not hold
// the scenario: the engine skips it until its pause ends.
func (b *backoff) after(ctx context.Context, r *record.Record) {
	wait, alone := b.observe(r)
	if wait <= 0 {
		return
	}
	if b.paused != nil {
		b.paused(r)
	}
	if alone {
		b.endAlone(r, wait)
		return
	}
	start := time.Now()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
	end := time.Now()
	b.mu.Lock()
	b.target(r.Target).resumedNs = end.UnixNano()
	b.mu.Unlock()
	if b.resumed != nil {
		b.resumed(r, end.Sub(start))
	}
}

// endAlone reports the end of r's target's pause alone after wait (or at
// stop, whichever comes first).
func (b *backoff) endAlone(r *record.Record, wait time.Duration) {
	if b.resumed == nil {
		return
	}
	start := time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ending == nil {
		b.ending = map[*time.Timer]func(){}
	}
	var t *time.Timer
	t = time.AfterFunc(wait, func() {
		b.mu.Lock()
		delete(b.ending, t)
		b.mu.Unlock()
		b.resumed(r, wait)
	})
	b.ending[t] = func() { b.resumed(r, time.Since(start)) }
}

// stop ends the pauses still running when the scenario stops, reporting the
// time they lasted, so no timer outlives the scenario.
func (b *backoff) stop() {
	b.mu.Lock()
	var ends []func()
	for t, end := range b.ending {
		if t.Stop() {
			ends = append(ends, end)
		}
	}
	b.ending = nil
	b.mu.Unlock()
	for _, end := range ends {
		end()
	}
}

// observe updates r's target with r and returns the pause to take, if any,
// and whether that target is paused alone (another one still answers).
func (b *backoff) observe(r *record.Record) (time.Duration, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := b.target(r.Target)
	switch {
	case r.Valid():
		if st.pauses > 0 && b.logf != nil {
			b.logf("target %s reachable again after %d pause(s)", r.Target, st.pauses)
		}
		st.fails, st.next, st.pauses = 0, 0, 0
		return 0, false
	case r.Reason == record.ReasonTimeout || r.Reason == record.ReasonCancelled:
		st.fails = 0
		return 0, false
	case r.StartNs < st.resumedNs:
		return 0, false // sent before the last pause ended: already accounted for
	}
	st.fails++
	need, state := max(unreachableAfter, b.inFlight), "answers only errors"
	if r.Reason == record.ReasonConnection {
		need, state = unreachableAfter, "unreachable"
	}
	if st.fails < need {
		return 0, false
	}
	wait := max(st.next, b.min)
	st.next = min(2*wait, b.max)
	wait = max(wait, min(r.RetryAfter, b.max))
	st.fails = 0
	st.pauses++
	now := time.Now()
	alone := b.othersAnswer(r.Target, now)
	if alone {
		st.until = now.Add(wait)
		st.resumedNs = st.until.UnixNano()
	}
	if b.logf != nil {
		msg, scope := "", "probes"
		if r.Error != nil {
			msg = oneline.Escape(truncate(r.Error.Message, maxErrorLen)) // server text: no forged lines
		}
		if alone {
			scope = "this target's probes"
		}
		b.logf("target %s %s (%s): pausing %s for %v (pause %d)", r.Target, state, msg, scope, wait, st.pauses)
	}
	return wait, alone
}

// othersAnswer reports whether the scenario has a target other than name that
// is not paused alone at now; b.mu is held.
func (b *backoff) othersAnswer(name string, now time.Time) bool {
	if b.targets < 2 {
		return false
	}
	paused := 0
	for t, st := range b.state {
		if t != name && now.Before(st.until) {
			paused++
		}
	}
	return paused < b.targets-1
}
