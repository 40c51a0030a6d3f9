package probe

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// With StartAt, no profiling request is sent before it; warmup runs before.
func TestStartAtHoldsTheProfilingPhase(t *testing.T) {
	m := startMock(t, mockserver.Config{OutputTokens: 2})
	at := time.Now().Add(400 * time.Millisecond)
	recs := runMock(t, context.Background(), m, chatDataset(4), Config{Concurrency: 2, RequestCount: 4, WarmupCount: 1, StartAt: at})
	profiled := 0
	for _, r := range recs {
		if r.Phase == record.PhaseWarmup {
			continue
		}
		profiled++
		if r.StartNs < at.UnixNano() {
			t.Errorf("request %s sent %v before --start-at", r.RequestID, time.Duration(at.UnixNano()-r.StartNs))
		}
	}
	if profiled != 4 {
		t.Errorf("%d profiling requests, want 4", profiled)
	}
}

// A start time that has passed starts at once and says so.
func TestStartAtPassed(t *testing.T) {
	m := startMock(t, mockserver.Config{OutputTokens: 2})
	var mu sync.Mutex
	var lines []string
	recs := runMock(t, context.Background(), m, chatDataset(2), Config{Concurrency: 1, RequestCount: 2, StartAt: time.Now().Add(-time.Minute),
		Logf: func(format string, a ...any) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, format)
		}})
	if len(recs) != 2 || len(lines) != 1 || !strings.Contains(lines[0], "--start-at") {
		t.Errorf("%d records, log %q", len(recs), lines)
	}
}

// Ctrl-C while waiting sends nothing.
func TestStartAtInterrupted(t *testing.T) {
	m := startMock(t, mockserver.Config{OutputTokens: 2})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	recs := runMock(t, ctx, m, chatDataset(2), Config{Concurrency: 1, RequestCount: 2, StartAt: time.Now().Add(time.Hour)})
	if len(recs) != 0 {
		t.Errorf("%d requests sent while waiting for --start-at", len(recs))
	}
}
