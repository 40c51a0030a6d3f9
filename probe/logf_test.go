package probe

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// A malformed stream event is skipped, the request stays valid, and the run's
// log says so once per request (AIPerf logs a warning for invalid JSON).
func TestMalformedEventsAreLogged(t *testing.T) {
	m := startMock(t, mockserver.Config{OutputTokens: 4, Faults: mockserver.Faults{MalformedEvent: 1}})
	var mu sync.Mutex
	var lines []string
	recs := runMock(t, context.Background(), m, chatDataset(2), Config{Concurrency: 1, RequestCount: 2,
		Logf: func(format string, a ...any) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, format)
		}})
	for _, r := range recs {
		if !r.Valid() || r.SkippedEvents != 1 {
			t.Fatalf("record valid %v, skipped %d", r.Valid(), r.SkippedEvents)
		}
	}
	if len(lines) != 2 || !strings.Contains(lines[0], "malformed") {
		t.Fatalf("log lines %q, want one per request", lines)
	}
}
