package testkit

import (
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strconv"
	"testing"
)

// FreeAddr returns a loopback host:port nothing listens on right now, for a
// server a test starts later (or for a refused connection).
//
// The port lies below the kernel's ephemeral range when there is room: a port
// from that range (what port 0 gives) can be handed to any connection or
// listener, of this test binary or another, between FreeAddr releasing it and
// the server binding it; below the range only another explicit pick can take it.
// Where a server can listen on port 0 and report its address, prefer that.
func FreeAddr(t testing.TB) string {
	t.Helper()
	if lo, ok := ephemeralLow(); ok && lo > minPickedPort+1000 {
		for range 100 {
			addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(minPickedPort+rand.IntN(lo-minPickedPort)))
			if l, err := net.Listen("tcp", addr); err == nil {
				l.Close()
				return addr
			}
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// minPickedPort is the lowest port FreeAddr picks: above the well-known and
// most fixed service ports.
const minPickedPort = 20000

// ephemeralLow is the first port of the kernel's ephemeral range (Linux).
func ephemeralLow() (int, bool) {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 0, false
	}
	var lo, hi int
	if _, err := fmt.Sscan(string(b), &lo, &hi); err != nil || lo <= 0 {
		return 0, false
	}
	return lo, true
}
