package daemon

import (
	"context"
	"sync"
	"time"

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
	logf     func(format string, a ...any)
	// paused and resumed, when set, report each pause (the collector's
	// aiperf_probe_pauses_total and aiperf_probe_pause_seconds_total).
	paused  func(r *record.Record)
	resumed func(r *record.Record, d time.Duration)

	mu        sync.Mutex
	fails     int           // fresh failures in a row (timeouts and cancellations break the run)
	next      time.Duration // the next pause; 0 = min
	resumedNs int64         // wall ns when the last pause ended; older requests are stale
	pauses    int           // pauses since the last success
}

func newBackoff(lo, hi time.Duration, inFlight int, logf func(string, ...any)) *backoff {
	if lo <= 0 {
		lo = DefaultBackoffMin
	}
	if hi < lo {
		hi = max(lo, DefaultBackoffMax)
	}
	return &backoff{min: lo, max: hi, inFlight: inFlight, logf: logf}
}

// after is called with each finished record; it returns once the scenario may
// send again, or at once when ctx ends.
func (b *backoff) after(ctx context.Context, r *record.Record) {
	wait := b.observe(r)
	if wait <= 0 {
		return
	}
	if b.paused != nil {
		b.paused(r)
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
	b.resumedNs = end.UnixNano()
	b.mu.Unlock()
	if b.resumed != nil {
		b.resumed(r, end.Sub(start))
	}
}

// observe updates the state with r and returns the pause to take, if any.
func (b *backoff) observe(r *record.Record) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case r.Valid():
		if b.pauses > 0 && b.logf != nil {
			b.logf("target reachable again after %d pause(s)", b.pauses)
		}
		b.fails, b.next, b.pauses = 0, 0, 0
		return 0
	case r.Reason == record.ReasonTimeout || r.Reason == record.ReasonCancelled:
		b.fails = 0
		return 0
	case r.StartNs < b.resumedNs:
		return 0 // sent before the last pause ended: already accounted for
	}
	b.fails++
	need, state := max(unreachableAfter, b.inFlight), "answers only errors"
	if r.Reason == record.ReasonConnection {
		need, state = unreachableAfter, "unreachable"
	}
	if b.fails < need {
		return 0
	}
	wait := max(b.next, b.min)
	b.next = min(2*wait, b.max)
	wait = max(wait, min(r.RetryAfter, b.max))
	b.fails = 0
	b.pauses++
	if b.logf != nil {
		msg := ""
		if r.Error != nil {
			msg = oneLine(truncate(r.Error.Message, maxErrorLen)) // server text: no forged lines
		}
		b.logf("target %s %s (%s): pausing probes for %v (pause %d)", r.Target, state, msg, wait, b.pauses)
	}
	return wait
}
