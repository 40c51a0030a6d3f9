//go:build unix

package inputs

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// An --input-file that is a named pipe is one error, never a wait for a
// writer, whatever guesses its type (each type's sniffer looks at it first).
func TestInputFileNamedPipe(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe.jsonl")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		err := buildErr(t, "-m", "x", "--input-file", p)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file (a named pipe)") {
			t.Fatalf("error %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("building from a named pipe still waits after 30 s")
	}
}
