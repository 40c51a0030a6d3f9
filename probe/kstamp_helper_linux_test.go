//go:build linux

package probe_test

import (
	"net"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// keepKernelStamping holds a loopback socket with receive stamps on for the
// rest of the test and waits until its reads are stamped. The kernel turns
// stamping on for the whole system a moment after the first socket asks for it
// (a deferred static key) and off once none does, so without this the first
// requests of a test may fall back to userspace stamps.
func keepKernelStamping(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	srv, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	f, err := c.(*net.TCPConn).File() // a duplicate, read directly below
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fd := int(f.Fd())
	if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1); err != nil {
		t.Skipf("no kernel receive stamps here: %v", err)
	}
	buf, oob := make([]byte, 8), make([]byte, 64)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := srv.Write([]byte("x")); err != nil {
			t.Fatal(err)
		}
		_, oobn, _, _, err := unix.Recvmsg(fd, buf, oob, 0)
		if err == unix.EAGAIN { // the duplicate shares the socket's non-blocking mode
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if oobn > 0 {
			return
		}
	}
	t.Fatal("the kernel did not stamp a received packet within 10 s")
}
