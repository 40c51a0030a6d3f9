//go:build linux

package httpclient

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"testing"
	"time"
)

// pair dials a loopback listener with the client's dialer and returns the
// client's side (wrapped) and the server's.
func pair(t testing.TB, ctx context.Context) (*dialedConn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	c, err := dialer()(ctx, "tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	srv := <-accepted
	if srv == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { c.Close(); srv.Close() })
	return c.(*dialedConn), srv
}

func TestKernelStampOfEachRead(t *testing.T) {
	c, srv := pair(t, context.Background())
	if c.arrival == nil {
		t.Fatal("a dialed TCP connection on Linux has no kernel stamps")
	}
	start := time.Now()
	if _, ok := c.arrival.Since(start); ok {
		t.Fatal("a stamp before any read")
	}
	buf := make([]byte, 64)
	waitForStamps(t, c, srv, buf)
	start = time.Now()
	for i := range 3 {
		sent := time.Now()
		if _, err := srv.Write([]byte("data: x\n\n")); err != nil {
			t.Fatal(err)
		}
		n, err := c.Read(buf)
		seen := time.Since(start)
		if err != nil || string(buf[:n]) != "data: x\n\n" {
			t.Fatalf("read %d: %q, %v", i, buf[:n], err)
		}
		got, ok := c.arrival.Since(start)
		if !ok {
			t.Fatalf("read %d: no kernel stamp", i)
		}
		// Kernel stamp and monotonic clock differ by the wall/monotonic
		// conversion only; allow a millisecond of clock slew either side.
		if lo := sent.Sub(start) - time.Millisecond; got < lo || got > seen+time.Millisecond {
			t.Fatalf("read %d: stamp %v outside [send %v, seen %v]", i, got, sent.Sub(start), seen)
		}
	}
	srv.Close()
	if n, err := c.Read(buf); n != 0 || err != io.EOF {
		t.Fatalf("read after the peer closed: %d, %v; want 0, EOF", n, err)
	}
}

// waitForStamps exchanges bytes until a read has a kernel stamp: the kernel
// turns receive stamping on for the whole system a moment after the first
// socket asks for it (a deferred static key), and off again once no socket
// wants it, so the first reads of a process may have none (they fall back to
// userspace stamps, recorded as such).
func waitForStamps(t *testing.T, c *dialedConn, srv net.Conn, buf []byte) {
	t.Helper()
	for range 100 {
		start := time.Now()
		if _, err := srv.Write([]byte("x")); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Read(buf); err != nil {
			t.Fatal(err)
		}
		if _, ok := c.arrival.Since(start); ok {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("no kernel stamp on any read for a second")
}

func TestKernelStampsOff(t *testing.T) {
	c, _ := pair(t, WithoutKernelStamps(context.Background()))
	if c.arrival != nil {
		t.Fatal("kernel stamps on although turned off")
	}
	if _, ok := c.Conn.(*net.TCPConn); !ok {
		t.Fatalf("connection wrapped (%T) although kernel stamps are off", c.Conn)
	}
}

func TestStampedReadDeadline(t *testing.T) {
	c, _ := pair(t, context.Background())
	c.SetReadDeadline(time.Now().Add(10 * time.Millisecond))
	_, err := c.Read(make([]byte, 8))
	if ne, ok := err.(net.Error); !ok || !ne.Timeout() {
		t.Fatalf("read past its deadline: %v; want a timeout", err)
	}
}

// BenchmarkStampedRead is one small read with its kernel stamp: it must not allocate.
func BenchmarkStampedRead(b *testing.B) {
	c, srv := pair(b, context.Background())
	msg := []byte("data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n")
	buf := make([]byte, 4096)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := srv.Write(msg); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, buf[:len(msg)]); err != nil {
			b.Fatal(err)
		}
	}
}

// A request over HTTP/1.1 (plain or TLS) gets its connection's kernel stamps;
// over HTTP/2 it gets none (frames are read ahead for every stream).
func TestArrivalOfRequest(t *testing.T) {
	for _, tc := range []struct {
		name       string
		tls, http2 bool
		want       bool
	}{
		{"http/1.1", false, false, true},
		{"https/1.1", true, false, true},
		{"h2", true, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, r.Proto)
			}))
			srv.EnableHTTP2 = tc.http2
			if tc.tls {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			defer srv.Close()
			hc := DefaultConfig()
			hc.TLSConfig.InsecureSkipVerify = true
			hc.EnableHTTP2 = tc.http2
			client, err := New(hc, 1)
			if err != nil {
				t.Fatal(err)
			}
			defer client.CloseIdleConnections()
			var got *Arrival
			ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
				GotConn: func(i httptrace.GotConnInfo) { got = ArrivalOf(i) },
			})
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			proto, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if (got != nil) != tc.want {
				t.Fatalf("over %s: kernel stamps %v, want %v", proto, got != nil, tc.want)
			}
		})
	}
}
