package probe

// AIPerf's --connection-reuse-strategy values.
const (
	ReusePooled = "pooled"               // keep-alive connections shared by all requests
	ReuseNever  = "never"                // a new connection per request, closed after its response
	ReuseSticky = "sticky-user-sessions" // closed after a conversation's last turn
)

// closeAfter tells whether a request's connection is closed after its
// response: always with never, after a conversation's last turn with
// sticky-user-sessions. net/http then dials the next request anew.
func (e *engine) closeAfter(lastTurn bool) bool {
	switch e.cfg.ConnectionReuse {
	case ReuseNever:
		return true
	case ReuseSticky:
		return lastTurn
	}
	return false
}
