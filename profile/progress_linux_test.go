package profile

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a real pseudo-terminal pair: what the program writes to tty
// can be read from master.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pty number: %v", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open pty: %v", err)
	}
	t.Cleanup(func() { tty.Close() })
	return master, tty
}

// On a real terminal the line is on and reaches the terminal.
func TestProgressOnTerminal(t *testing.T) {
	master, tty := openPTY(t)
	p := newProgress(tty, 3)
	if !p.on {
		t.Fatal("progress off on a terminal")
	}
	got := make(chan string, 1)
	go func() {
		var b strings.Builder
		buf := make([]byte, 256)
		for !strings.Contains(b.String(), "\n") {
			n, err := master.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		got <- b.String()
	}()
	p.start()
	p.done(true)
	p.done(false)
	p.stop()
	select {
	case s := <-got:
		if !strings.Contains(s, "requests 2/3  errors 1  elapsed ") {
			t.Errorf("terminal shows %q", s)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("nothing reached the terminal")
	}
}
