package mockserver

import "sync/atomic"

// prefillCount counts the streamed requests the server holds before their
// first token, and the most ever held at once: a client's prefill
// concurrency limit (AIPerf's --prefill-concurrency) is checked against it.
// A request leaves before its first token is written, so a client that waits
// for that token to send the next request is never counted twice.
type prefillCount struct {
	now, most atomic.Int64
}

// enter counts a request in and returns the function that counts it out; it
// may be called more than once.
func (p *prefillCount) enter() (leave func()) {
	n := p.now.Add(1)
	for m := p.most.Load(); n > m && !p.most.CompareAndSwap(m, n); m = p.most.Load() {
	}
	var left atomic.Bool
	return func() {
		if left.CompareAndSwap(false, true) {
			p.now.Add(-1)
		}
	}
}

// MaxInPrefill is the most streamed requests the server held at once
// before their first token since it started.
func (s *Server) MaxInPrefill() int { return int(s.prefill.most.Load()) }
