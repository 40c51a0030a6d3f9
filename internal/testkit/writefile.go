package testkit

import (
	"os"
	"path/filepath"
	"testing"
)

// WriteFile writes body to the file name under dir, readable by its owner
// only (a test's secrets and inputs alike), and returns its path; a failure
// fails the test.
func WriteFile(t testing.TB, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
