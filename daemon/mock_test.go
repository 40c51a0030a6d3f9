package daemon

import (
	"context"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// startMock runs the real mock server on loopback until the test ends.
func startMock(t *testing.T, cfg mockserver.Config) *mockserver.Running {
	t.Helper()
	mock, err := mockserver.Start(context.Background(), "", cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mock.Close() })
	return mock
}
