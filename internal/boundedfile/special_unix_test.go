//go:build unix

package boundedfile

import (
	"path/filepath"
	"syscall"
	"testing"
)

// specialFiles are a named pipe with no writer: opening it would wait forever.
func specialFiles(t *testing.T, dir string) []fileCase {
	p := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	return []fileCase{{"named pipe", p, 0, "not a regular file (a named pipe)"}}
}
