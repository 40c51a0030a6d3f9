package httpclient

import (
	"context"
	"crypto/tls"
	"net"
	"net/http/httptrace"
	"sync/atomic"
	"time"
)

// Arrival stamps. On Linux each connection this client dials asks the kernel
// to stamp every packet as it is received (SO_TIMESTAMPNS) and reads with
// recvmsg, keeping the stamp of its newest read (arrival_linux.go). Elsewhere,
// on a connection the client did not dial (a proxy's), or when turned off,
// there is no kernel stamp and the reader stamps in userspace as before.

// clockBase anchors arrival stamps on the monotonic clock: a stamp is kept as
// nanoseconds since clockBase, so it fits one atomic word.
var clockBase = time.Now()

// Arrival is when the bytes of a connection's newest read arrived, as the
// kernel stamped them.
type Arrival struct {
	ns atomic.Int64 // monotonic ns since clockBase; 0: no kernel stamp yet
}

// Stamp keeps the arrival of a read (the reading connection calls it; tests of
// readers too): kernel is the kernel's CLOCK_REALTIME stamp (ns since the
// epoch), now the time.Now() taken right after the read. The packet's age
// (now's wall reading minus kernel) is taken off now's monotonic reading, so
// the stamp is on the same clock as the request's start. A stamp from the
// future (the wall clock stepped back between the two readings) is dropped:
// the reader then stamps in userspace. A connection's arrivals never go back:
// the wall-to-monotonic step differs by a few ns between reads, so bytes of one
// packet read in two parts could otherwise stamp the second read earlier
// (seen: 10 ns, enough to put a response before the one it followed).
func (a *Arrival) Stamp(kernel int64, now time.Time) {
	age := now.UnixNano() - kernel
	if age < 0 {
		a.ns.Store(0)
		return
	}
	a.ns.Store(max(int64(now.Sub(clockBase))-age, a.ns.Load())) // one reader per connection
}

// Since returns the newest read's arrival as an offset from start, and false
// when there is none to use: no kernel stamp, or one older than start (a read
// of an earlier request, or a wall clock step). a may be nil.
func (a *Arrival) Since(start time.Time) (time.Duration, bool) {
	if a == nil {
		return 0, false
	}
	v := a.ns.Load()
	if v == 0 {
		return 0, false
	}
	d := time.Duration(v) - start.Sub(clockBase)
	return d, d >= 0
}

// ArrivalOf returns the kernel arrival stamps of the connection a request got
// (under TLS, of the TCP connection beneath), or nil when it has none. An
// HTTP/2 connection has none to give: its frames are read ahead by a goroutine
// of its own, for all its streams, so its newest read is not this response's.
func ArrivalOf(info httptrace.GotConnInfo) *Arrival {
	c := info.Conn
	if tc, ok := c.(*tls.Conn); ok && tc.ConnectionState().NegotiatedProtocol == "h2" {
		return nil
	}
	if u, ok := c.(interface{ NetConn() net.Conn }); ok {
		c = u.NetConn()
	}
	if d, ok := c.(*dialedConn); ok {
		return d.arrival
	}
	return nil
}

// noKernelStampsKey in a request's context turns kernel stamps off for the
// connections dialed for it.
type noKernelStampsKey struct{}

// WithoutKernelStamps returns ctx asking that connections dialed for its
// requests be read without kernel stamps (--no-kernel-timestamps).
func WithoutKernelStamps(ctx context.Context) context.Context {
	return context.WithValue(ctx, noKernelStampsKey{}, true)
}

func kernelStampsWanted(ctx context.Context) bool {
	return ctx.Value(noKernelStampsKey{}) == nil
}
