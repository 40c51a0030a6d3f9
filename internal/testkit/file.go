package testkit

import (
	"os"
	"testing"
)

// ReadFile is the content of path; a file that cannot be read fails the test.
func ReadFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
