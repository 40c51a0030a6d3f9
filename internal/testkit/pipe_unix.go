//go:build unix

package testkit

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// NamedPipe makes a named pipe in a temporary directory and returns its path.
// Opening it for reading does not wait forever: a writer is waiting for the
// reader and closes at once, so a reader that should have refused the pipe
// reads an empty file and the test fails instead of hanging. The writer is
// released when the test ends.
func NamedPipe(t testing.TB) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	opened := make(chan struct{})
	go func() {
		defer close(opened)
		if w, err := os.OpenFile(p, os.O_WRONLY, 0); err == nil { // waits for a reader
			w.Close()
		}
	}()
	t.Cleanup(func() {
		// a reader of our own, which never waits, frees a writer still waiting
		if r, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			<-opened
			r.Close()
		}
	})
	return p
}
