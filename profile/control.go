package profile

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/control"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
)

// controlPlan is AIPerf's benchmark control hooks: the KV-cache reset once
// before the run (warmup included) and the server profiler started before
// the profiling phase and stopped after it. A path or timeout given turns its
// hook on, as in AIPerf. nil: neither hook.
type controlPlan struct {
	poster              control.Poster
	resetPath           string // "": no reset
	resetTimeout        time.Duration
	startPath, stopPath string // "": no profiler
	profilerTimeout     time.Duration
	profilerStartErr    error // set by the OnProfiling hook, read after the run
	profilerStarted     bool
}

// planControl checks the control-hook flags; its errors are *options.Error
// (exit 2). Timeouts left unset are --request-timeout-seconds, AIPerf's
// endpoint timeout. bind gives the plan its servers.
func planControl(p *options.Profile, requestTimeout float64) (*controlPlan, error) {
	reset := p.ResetKVCache || p.ResetKVCachePath != "" || p.ResetKVCacheTimeout != 0
	profiler := p.ServerProfiler || p.ServerProfilerStartPath != "" || p.ServerProfilerStopPath != "" || p.ServerProfilerTimeout != 0
	if !reset && !profiler {
		return nil, nil
	}
	timeout := func(flag string, seconds float64) (time.Duration, error) {
		switch {
		case seconds == 0:
			return secs(requestTimeout), nil
		case !(seconds > 0) || math.IsInf(seconds, 0):
			return 0, &options.Error{Flag: flag, Msg: fmt.Sprintf("must be finite seconds > 0, got %g", seconds)}
		}
		return secs(seconds), nil
	}
	path := func(flag, value, def string) (string, error) {
		if value == "" {
			return def, nil
		}
		if err := control.CheckPath(value); err != nil {
			return "", &options.Error{Flag: flag, Msg: err.Error()}
		}
		return value, nil
	}
	var c controlPlan
	var err error
	if reset {
		if c.resetTimeout, err = timeout("reset-kv-cache-timeout-seconds", p.ResetKVCacheTimeout); err != nil {
			return nil, err
		}
		if c.resetPath, err = path("reset-kv-cache-path", p.ResetKVCachePath, control.DefaultResetPath); err != nil {
			return nil, err
		}
	}
	if profiler {
		if c.profilerTimeout, err = timeout("server-profiler-timeout-seconds", p.ServerProfilerTimeout); err != nil {
			return nil, err
		}
		if c.startPath, err = path("server-profiler-start-path", p.ServerProfilerStartPath, control.DefaultProfilerStartPath); err != nil {
			return nil, err
		}
		if c.stopPath, err = path("server-profiler-stop-path", p.ServerProfilerStopPath, control.DefaultProfilerStopPath); err != nil {
			return nil, err
		}
	}
	return &c, nil
}

// bind sends the control requests to the run's servers with its client and
// headers (credentials included, as AIPerf sends them).
func (c *controlPlan) bind(cfg probe.Config) error {
	if c == nil {
		return nil
	}
	var urls []string
	for _, t := range cfg.Targets {
		urls = append(urls, t.URL)
	}
	origins, err := control.Origins(urls)
	if err != nil {
		return &options.Error{Flag: "url", Msg: err.Error()}
	}
	c.poster = control.Poster{Client: cfg.Client, Header: cfg.Header, Origins: origins}
	return nil
}

// reset is the KV-cache reset before the run; its failure ends the run
// before anything is sent, as in AIPerf.
func (c *controlPlan) reset(ctx context.Context) error {
	if c == nil || c.resetPath == "" {
		return nil
	}
	if err := c.poster.PostAll(ctx, c.resetPath, c.resetTimeout); err != nil {
		return fmt.Errorf("--reset-kv-cache: %w", err)
	}
	return nil
}

// onProfiling chains the profiler's start before next (the probe's hook at
// the profiling phase's start). The start holds the phase until it returns;
// when it fails, abort stops the run before a profiling request is sent
// (AIPerf: profiling does not begin).
func (c *controlPlan) onProfiling(ctx context.Context, abort func(), next func()) func() {
	if c == nil || c.startPath == "" {
		return next
	}
	return func() {
		if err := c.poster.StartAll(ctx, c.startPath, c.stopPath, c.profilerTimeout); err != nil {
			c.profilerStartErr = fmt.Errorf("--server-profiler: %w", err)
			abort()
			return
		}
		c.profilerStarted = true
		if next != nil {
			next()
		}
	}
}

// stopProfiler stops a started profiler after the profiling phase, even
// after Ctrl-C; a failure is only a warning, as in AIPerf.
func (c *controlPlan) stopProfiler(ctx context.Context) error {
	if c == nil || !c.profilerStarted {
		return nil
	}
	if err := c.poster.PostAll(context.WithoutCancel(ctx), c.stopPath, c.profilerTimeout); err != nil {
		return fmt.Errorf("--server-profiler: stop: %w", err)
	}
	return nil
}
