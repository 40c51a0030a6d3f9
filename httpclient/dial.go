package httpclient

import (
	"context"
	"io"
	"net"
	"net/http/httptrace"
	"sync/atomic"
	"time"
)

// net/http may dial for one request and hand the connection to another (the
// first request got an idle connection meanwhile), so "this request's trace saw
// a dial" and "this request opened the connection it used" differ. Each
// connection the client opens is wrapped at dial time with the request whose
// dial made it, and is claimed by the first request it carries: a connection is
// counted once, by the request that first used it, and only the request that
// dialed it may report the dial's DNS, connect and TLS phases.

// dialOwnerKey holds, in a request's context, the value naming the request for
// the connections dialed on its behalf.
type dialOwnerKey struct{}

// WithDialOwner returns ctx naming owner (any comparable value unique to the
// request) as the dialer of the connections opened while it waits for one.
func WithDialOwner(ctx context.Context, owner any) context.Context {
	return context.WithValue(ctx, dialOwnerKey{}, owner)
}

// ConnUse tells the request named owner, given the connection it got, whether
// it is the connection's first request (a new connection, counted once) and
// whether owner's own dial opened it (so the dial phases its trace saw are this
// connection's). For a connection this package did not dial it falls back to
// net/http's Reused flag.
func ConnUse(info httptrace.GotConnInfo, owner any) (first, own bool) {
	c := info.Conn
	if u, ok := c.(interface{ NetConn() net.Conn }); ok { // TLS: the wrapped TCP connection
		c = u.NetConn()
	}
	d, ok := c.(*dialedConn)
	if !ok {
		return !info.Reused, !info.Reused
	}
	first = d.claimed.CompareAndSwap(false, true)
	return first, first && d.owner == owner
}

// dialedConn is a connection this client opened.
type dialedConn struct {
	net.Conn
	owner   any         // the request whose wait for a connection dialed it
	claimed atomic.Bool // a request has used it
	arrival *Arrival    // kernel stamps of its reads; nil: none (arrival.go)
}

// ReadFrom keeps the TCP connection's own ReadFrom (io.Copy of a body) in use.
func (c *dialedConn) ReadFrom(r io.Reader) (int64, error) { return io.Copy(c.Conn, r) }

// dialer opens TCP connections and wraps them (dialedConn).
func dialer() func(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		d := &dialedConn{Conn: c, owner: ctx.Value(dialOwnerKey{})}
		if kernelStampsWanted(ctx) {
			d.Conn, d.arrival = stampReads(c)
		}
		return d, nil
	}
}
