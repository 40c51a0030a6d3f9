//go:build !unix

package testkit

import "testing"

// NamedPipe skips the test: there are no named pipes to make here.
func NamedPipe(t testing.TB) string {
	t.Skip("no named pipes on this system")
	return ""
}
