package daemon

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func counterValue(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metric:
		for _, m := range mf.GetMetric() {
			for _, lp := range m.GetLabel() {
				if v, ok := labels[lp.GetName()]; ok && v != lp.GetValue() {
					continue metric
				}
			}
			if m.GetCounter() != nil {
				return m.GetCounter().GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	t.Fatalf("%s%v not found", name, labels)
	return 0
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	eventually(t, 10*time.Second, 5*time.Millisecond, what, cond)
}

// eventually polls cond every `every` until it holds, failing after `within`.
func eventually(t *testing.T, within, every time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", within, what)
		}
		time.Sleep(every)
	}
}

// On shutdown, in-flight probes that finish within the grace period count as
// successes and nothing new is scheduled.
func TestShutdownLetsInFlightFinish(t *testing.T) {
	f := &fakeEngine{workers: 2, took: 50 * time.Millisecond}
	d, reg := newDaemon(t, f.run, time.Minute, nil)
	ctx, stop := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- d.Run(ctx) }()
	waitFor(t, "a finished probe", d.Ready)
	stop()
	start := time.Now()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited > 20*time.Second {
		t.Fatalf("shutdown took %v although probes take 50 ms", waited)
	}
	if f.started.Load() != f.finished.Load() {
		t.Fatalf("%d started, %d finished", f.started.Load(), f.finished.Load())
	}
	l := map[string]string{"scenario": "s"}
	if got := counterValue(t, reg, "aiperf_request_errors_total", map[string]string{"reason": "cancelled"}); got != 0 {
		t.Fatalf("%v probes cancelled although the grace period was long enough", got)
	}
	if got := counterValue(t, reg, "aiperf_requests_total", map[string]string{"outcome": "success"}); got != float64(f.finished.Load()) {
		t.Fatalf("%v successes counted, %d finished", got, f.finished.Load())
	}
	if got := counterValue(t, reg, "aiperf_requests_in_flight", l); got != 0 {
		t.Fatalf("in flight %v after shutdown", got)
	}
}

// Probes still running when the grace period ends are cancelled and counted.
func TestShutdownCancelsAfterGrace(t *testing.T) {
	f := &fakeEngine{workers: 3, took: time.Hour}
	d, reg := newDaemon(t, f.run, 100*time.Millisecond, nil)
	ctx, stop := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- d.Run(ctx) }()
	waitFor(t, "three probes in flight", func() bool { return f.started.Load() == 3 })
	if got := counterValue(t, reg, "aiperf_requests_in_flight", nil); got != 3 {
		t.Fatalf("in flight %v, want 3", got)
	}
	stop()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if got := counterValue(t, reg, "aiperf_request_errors_total", map[string]string{"reason": "cancelled"}); got != 3 {
		t.Fatalf("cancelled %v, want 3", got)
	}
	if got := counterValue(t, reg, "aiperf_requests_in_flight", nil); got != 0 {
		t.Fatalf("in flight %v after shutdown", got)
	}
	if f.started.Load() != 3 {
		t.Fatalf("%d probes started; none may start after shutdown began", f.started.Load())
	}
}

// A failing engine is restarted and the daemon keeps running.
func TestEngineFailureRestarts(t *testing.T) {
	var calls atomic.Int64
	run := func(ctx, reqCtx context.Context, sink, onStart func(*record.Record)) error {
		if calls.Add(1) < 3 {
			return errors.New("target unreachable")
		}
		<-ctx.Done()
		return nil
	}
	var logs bytes.Buffer
	log, err := NewLogger(&syncBuf{b: &logs}, "info", "json")
	if err != nil {
		t.Fatal(err)
	}
	d, _ := newDaemon(t, run, time.Second, log)
	ctx, stop := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- d.Run(ctx) }()
	waitFor(t, "the third engine start", func() bool { return calls.Load() >= 3 })
	stop()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "target unreachable"); n != 2 {
		t.Fatalf("%d failure lines, want 2:\n%s", n, logs.String())
	}
}

// One debug line per failed probe, with its reason; at warn, the first one and
// a summary with the count of the rest (TestFailureLogSummarises has more).
func TestFailedProbeLogLine(t *testing.T) {
	f := &fakeEngine{workers: 1, took: time.Millisecond, fail: func(i int) bool { return i%2 == 0 }}
	var logs bytes.Buffer
	log, err := NewLogger(&syncBuf{b: &logs}, "debug", "json")
	if err != nil {
		t.Fatal(err)
	}
	d, reg := newDaemon(t, f.run, time.Second, log)
	ctx, stop := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- d.Run(ctx) }()
	waitFor(t, "four probes", func() bool { return f.finished.Load() >= 4 })
	stop()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	failed := counterValue(t, reg, "aiperf_request_errors_total", map[string]string{"reason": "http_5xx"})
	out := logs.String()
	if n := strings.Count(out, `"msg":"probe failed"`); float64(n) != failed || n == 0 {
		t.Fatalf("%d failure lines for %v failed probes:\n%s", n, failed, out)
	}
	if !strings.Contains(out, `"reason":"http_5xx"`) || !strings.Contains(out, `"http_status":500`) {
		t.Fatalf("failure line lacks the reason:\n%s", out)
	}
	first, summary := strings.Count(out, `"msg":"probe failed (repeats are summarised)"`), strings.Count(out, `"msg":"probes failed"`)
	if first != 1 || (failed > 1) != (summary == 1) {
		t.Fatalf("%d first-failure and %d summary lines for %v failed probes:\n%s", first, summary, failed, out)
	}
}

// A request that fails before it is sent reaches the sink without a start; the
// in-flight gauge must not go negative.
func TestInFlightNeverNegative(t *testing.T) {
	run := func(ctx, reqCtx context.Context, sink, onStart func(*record.Record)) error {
		sink(&record.Record{RequestID: "never-sent", Scenario: "s", Model: "m", Target: "t", Phase: record.PhaseProfiling,
			Reason: record.ReasonConnection, Error: &record.Error{Message: "bad request"}})
		<-ctx.Done()
		return nil
	}
	d, reg := newDaemon(t, run, time.Second, nil)
	ctx, stop := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- d.Run(ctx) }()
	waitFor(t, "the failed probe", d.Ready)
	stop()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if got := counterValue(t, reg, "aiperf_requests_in_flight", nil); got != 0 {
		t.Fatalf("in flight %v, want 0", got)
	}
	if got := counterValue(t, reg, "aiperf_request_errors_total", map[string]string{"reason": "connection"}); got != 1 {
		t.Fatalf("connection errors %v, want 1", got)
	}
}
