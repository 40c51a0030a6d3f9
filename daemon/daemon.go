// Package daemon is the `serve` daemon: it runs each scenario's engine forever,
// feeds every finished record to the collector and the history, serves /metrics,
// health, readiness and a landing page, and shuts down gracefully.
package daemon

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/aiperf-exporter/aiperf-exporter/collector"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// RunFunc runs one scenario's engine, with probe.Run's two contexts: it stops
// scheduling new requests when ctx ends, cancels requests still in flight when
// reqCtx ends, calls
// onStart as each request starts and sink once per finished request, and returns
// once every started request has reached sink.
type RunFunc func(ctx, reqCtx context.Context, sink, onStart func(*record.Record)) error

// Scenario is one named engine run.
type Scenario struct {
	Name string
	Run  RunFunc
	// Concurrency is how many requests the scenario keeps in flight (0 for an
	// open-loop rate without a cap); the backoff needs as many errors in a
	// row before it calls a target failing.
	Concurrency int
	// Targets names the targets the scenario sends to in turn; with more than
	// one, a failing target is paused alone (see backoff).
	Targets []string

	backoff *backoff // the engine asks it which targets to skip; nil: one made by runScenario
}

// Daemon runs scenarios and records what they measure.
type Daemon struct {
	Scenarios []Scenario
	Collector *collector.Collector
	History   *History
	Logger    *zap.Logger
	// Grace is how long in-flight requests may finish after shutdown begins.
	Grace time.Duration
	// RetryMax bounds the wait before restarting an engine that failed (default 30 s).
	RetryMax time.Duration
	// BackoffMin and BackoffMax bound the pause taken while a scenario's target
	// is unreachable (see backoff); 0 means DefaultBackoffMin and DefaultBackoffMax.
	BackoffMin, BackoffMax time.Duration
	// LogEvery is how often repeated failures are summarised (see failureLog);
	// 0 means DefaultLogEvery.
	LogEvery time.Duration

	failuresOnce sync.Once
	failures     *failureLog

	ready   atomic.Bool
	mu      sync.Mutex          // serialises sink calls across scenarios and guards started
	started map[string]struct{} // request ids counted in flight and not yet finished
}

// Ready reports whether a probe has finished.
func (d *Daemon) Ready() bool { return d.ready.Load() }

// Run runs every scenario until ctx ends, then stops scheduling, lets in-flight
// requests finish for up to Grace, cancels the rest (they become cancelled
// records, counted like any other) and returns once every engine has returned.
func (d *Daemon) Run(ctx context.Context) error {
	reqCtx, cancelRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRequests()
	every := d.LogEvery
	if every <= 0 {
		every = DefaultLogEvery
	}
	summaries := time.NewTicker(every)
	defer summaries.Stop()
	stopSummaries := make(chan struct{})
	summarised := make(chan struct{})
	go func() {
		defer close(summarised)
		for {
			select {
			case <-summaries.C:
				d.failureLog().flush(every)
			case <-stopSummaries:
				d.failureLog().flush(every) // what the last interval held
				return
			}
		}
	}()
	defer func() { close(stopSummaries); <-summarised }()
	var wg sync.WaitGroup
	for _, s := range d.Scenarios {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.runScenario(ctx, reqCtx, s)
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	<-ctx.Done()
	d.Logger.Info("shutting down: no new probes; waiting for in-flight probes", zap.Duration("grace", d.Grace))
	grace := time.NewTimer(d.Grace)
	defer grace.Stop()
	select {
	case <-done:
		d.Logger.Info("all in-flight probes finished")
		return nil
	case <-grace.C:
	}
	d.Logger.Warn("grace period over: cancelling in-flight probes")
	cancelRequests()
	<-done
	return nil
}

// runScenario runs s until ctx ends, restarting it with a growing pause when
// the engine fails, so a bad moment never stops the daemon.
func (d *Daemon) runScenario(ctx, reqCtx context.Context, s Scenario) {
	log := d.Logger.With(zap.String("scenario", s.Name))
	retryMax := d.RetryMax
	if retryMax <= 0 {
		retryMax = 30 * time.Second
	}
	pause := min(time.Second, retryMax)
	b := s.backoff
	if b == nil {
		b = new(backoff)
	}
	b.configure(d.BackoffMin, d.BackoffMax, s.Concurrency, log.Sugar().Warnf)
	b.targets = len(s.Targets)
	defer b.stop()
	b.paused = func(r *record.Record) { d.Collector.Paused(r.Scenario, r.Model, r.Target) }
	b.resumed = func(r *record.Record, took time.Duration) { d.Collector.Resumed(r.Scenario, r.Model, r.Target, took) }
	sink := func(r *record.Record) {
		d.sink(r)
		b.after(ctx, r) // holds the engine while the target is unreachable
	}
	for {
		err := s.Run(ctx, reqCtx, sink, d.onStart)
		if ctx.Err() != nil {
			return
		}
		if err == nil {
			log.Info("scenario finished its configured requests; metrics stay served")
			return
		}
		log.Error("engine failed; restarting", zap.Error(err), zap.Duration("in", pause))
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, retryMax)
	}
}

// failureLog is the daemon's failure log, made on first use.
func (d *Daemon) failureLog() *failureLog {
	d.failuresOnce.Do(func() { d.failures = newFailureLog(d.Logger) })
	return d.failures
}

// Failures lists the failure counts of a scenario's probes by target and reason.
func (d *Daemon) Failures(scenario string) []FailureStat { return d.failureLog().stats(scenario) }

func (d *Daemon) onStart(r *record.Record) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.started == nil {
		d.started = map[string]struct{}{}
	}
	d.started[r.RequestID] = struct{}{}
	d.Collector.Started(r.Scenario, r.Model, r.Target)
}

// sink records one finished request: metrics, history, readiness and, for a
// failure, the failure log (never the payload or a header).
func (d *Daemon) sink(r *record.Record) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.started[r.RequestID]; ok {
		delete(d.started, r.RequestID)
	} else {
		// A request that failed before it was sent never started: balance the
		// in-flight gauge that Observe lowers.
		d.Collector.Started(r.Scenario, r.Model, r.Target)
	}
	d.Collector.Observe(r)
	res := ResultFrom(r)
	d.History.Add(res)
	d.ready.Store(true)
	if !res.Success {
		d.failureLog().add(r, res)
	}
}
