// Package mocktest starts the real mock server for a test. It lives apart
// from testkit because mockserver's own tests import testkit.
package mocktest

import (
	"context"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// Start runs the real mock server with cfg on a loopback port until the test
// ends; a server that cannot start fails the test.
func Start(t testing.TB, cfg mockserver.Config) *mockserver.Running {
	t.Helper()
	m, err := mockserver.Start(context.Background(), "", cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	return m
}
