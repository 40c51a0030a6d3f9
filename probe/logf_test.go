package probe

import (
	"context"
	"fmt"
	"io"
	"net/http"
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

// A whole (not streamed) reply that is empty, HTML or cut short fails as no
// content, and is no skipped stream event: no stream was read, so neither the
// record nor the log may speak of one.
func TestMalformedWholeBodyIsNoStreamEvent(t *testing.T) {
	for name, body := range map[string]string{"empty": "", "html": "<html>oops</html>", "truncated": `{"choices":[{"message":{"content":"hi`} {
		t.Run(name, func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, body)
			})
			var mu sync.Mutex
			var lines []string
			recs := runHandler(t, h, Config{Concurrency: 1, RequestCount: 1, Logf: func(format string, a ...any) {
				mu.Lock()
				defer mu.Unlock()
				lines = append(lines, fmt.Sprintf(format, a...))
			}})
			if len(recs) != 1 {
				t.Fatalf("%d records, want 1", len(recs))
			}
			if r := recs[0]; r.Valid() || r.SkippedEvents != 0 {
				t.Fatalf("valid %v, %d skipped events; want failed with none", r.Valid(), r.SkippedEvents)
			}
			for _, l := range lines {
				if strings.Contains(l, "stream event") {
					t.Errorf("log speaks of stream events: %q", l)
				}
			}
		})
	}
}
