package testkit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// WriteFile writes the body, owner-only, and returns the file's path.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := WriteFile(t, dir, "a.txt", "body")
	if p != filepath.Join(dir, "a.txt") || string(ReadFile(t, p)) != "body" {
		t.Fatalf("WriteFile wrote %s: %q", p, ReadFile(t, p))
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if msg := fatalOf(t, func(tb testing.TB) { WriteFile(tb, filepath.Join(dir, "none"), "b", "") }); !strings.Contains(msg, "no such file") {
		t.Errorf("a missing directory failed with %q", msg)
	}
}
