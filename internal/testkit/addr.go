package testkit

import (
	"net"
	"testing"
)

// FreeAddr returns a loopback host:port nothing listens on right now, for a
// server a test starts later (or for a refused connection).
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
