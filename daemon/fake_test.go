package daemon

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/collector"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// fakeEngine is a closed loop of `workers` requests that each take `took`, or end
// cancelled when the request context (reqCtx) ends, as the real engine behaves.
type fakeEngine struct {
	workers  int
	took     time.Duration
	fail     func(i int) bool // which requests fail with a 500
	gate     chan struct{}    // when set, no request finishes before it is closed
	started  atomic.Int64
	finished atomic.Int64
}

func (f *fakeEngine) run(ctx, reqCtx context.Context, sink, onStart func(*record.Record)) error {
	var wg sync.WaitGroup
	for w := range f.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(f.started.Add(1))
				r := &record.Record{RequestID: fmt.Sprintf("req-%d-%d", w, i), Scenario: "s", Model: "m", Target: "t",
					Phase: record.PhaseProfiling, Streaming: true, StartNs: time.Now().UnixNano(),
					InputTokens: 10, OutputTokens: 3, HTTPStatus: 200}
				onStart(r)
				f.finish(reqCtx, r, i)
				sink(r)
				f.finished.Add(1)
			}
		}()
	}
	wg.Wait()
	return nil
}

func (f *fakeEngine) finish(reqCtx context.Context, r *record.Record, i int) {
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-reqCtx.Done():
		}
	}
	select {
	case <-time.After(f.took):
	case <-reqCtx.Done():
		r.Cancelled, r.Reason, r.HTTPStatus = true, record.ReasonCancelled, 499
		r.Error = &record.Error{Code: 499, Type: "RequestCancellationError", Message: "request was cancelled"}
		return
	}
	if f.fail != nil && f.fail(i) {
		r.Reason, r.HTTPStatus = record.ReasonHTTP5xx, 500
		r.Error = &record.Error{Code: 500, Type: "Internal Server Error", Message: "mock failure"}
		return
	}
	for k := range 3 {
		r.Responses = append(r.Responses, record.Response{Offset: f.took/2 + time.Duration(k)*time.Millisecond, Kind: record.Content})
	}
	r.EndOffset = f.took
}

func newDaemon(t *testing.T, run RunFunc, grace time.Duration, log *zap.Logger) (*Daemon, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	c, err := collector.New(reg, []collector.Scenario{{Name: "s", Models: []string{"m"}, Targets: []string{"t"}, Concurrency: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if log == nil {
		log = zap.NewNop()
	}
	return &Daemon{Scenarios: []Scenario{{Name: "s", Run: run}}, Collector: c, History: NewHistory(10),
		Logger: log, Grace: grace, RetryMax: 20 * time.Millisecond}, reg
}

// syncBuf is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuf struct {
	mu sync.Mutex
	b  *bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
