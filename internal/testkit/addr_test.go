package testkit

import (
	"net"
	"strconv"
	"testing"
)

// FreeAddr gives a loopback port that can be listened on, below the kernel's
// ephemeral range where there is room, and not the same port every time.
func TestFreeAddr(t *testing.T) {
	lo, ok := ephemeralLow()
	seen := map[string]bool{}
	for range 20 {
		addr := FreeAddr(t)
		host, port, err := net.SplitHostPort(addr)
		if err != nil || host != "127.0.0.1" {
			t.Fatalf("FreeAddr %q: %v", addr, err)
		}
		p, _ := strconv.Atoi(port)
		if ok && lo > minPickedPort+1000 && (p < minPickedPort || p >= lo) {
			t.Errorf("port %d outside [%d, %d): port 0 could hand it out again", p, minPickedPort, lo)
		}
		l, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatalf("listen on %s: %v", addr, err)
		}
		l.Close()
		seen[addr] = true
	}
	if len(seen) < 10 {
		t.Errorf("%d distinct addresses in 20 picks", len(seen))
	}
}
