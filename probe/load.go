package probe

import (
	"context"
	"sync"
	"time"
)

// load is one phase's load shape: the closed loop's size (or an open loop's
// in-flight cap), the open loop's rate, its arrivals and the ramps at the
// phase's start.
type load struct {
	concurrency int
	rate        float64
	arrivals    Arrivals
	ramps       Ramps
	series      []RatePoint // --request-rate-series: rate follows it (profiling only)
	prefill     Prefill     // --prefill-concurrency and its ramp (prefill.go)
	users       Users       // user-centric timing when its Rate is set (profiling only; users.go)
}

// curve is the open loop's rate over time when it is not constant: a rate
// ramp, a --request-rate-series, or the ramp then the series. Nil: constant.
func (l load) curve() *rateCurve {
	var c rateCurve
	switch {
	case len(l.series) > 0:
		c = seriesCurve(l.series, l.ramps.RequestRate)
	case l.ramps.RequestRate > 0:
		c = newRateRamp(l.rate, l.ramps.RequestRate)
	default:
		return nil
	}
	return &c
}

// WarmupLoad is the warmup phase's own load, AIPerf's --warmup-concurrency,
// --warmup-request-rate, --warmup-arrival-pattern and warmup ramps: each
// zero field falls back to the run's setting, as AIPerf's do.
type WarmupLoad struct {
	Concurrency     int
	RequestRate     float64
	ArrivalPattern  string
	ConcurrencyRamp time.Duration
	RequestRateRamp time.Duration
	// Prefill is --warmup-prefill-concurrency and its ramp.
	Prefill Prefill
	// Grace, when GraceSet, is how long the warmup's requests still in flight
	// may run once the warmup has sent its last (its count reached or its
	// duration over); then they are cancelled and profiling starts
	// (--warmup-grace-period). Unset, every one is waited for.
	Grace    time.Duration
	GraceSet bool
}

// profilingLoad is the run's own load.
func (c *Config) profilingLoad() load {
	l := load{concurrency: c.Concurrency, rate: c.RequestRate, arrivals: c.Arrivals, ramps: c.Ramps, prefill: c.Prefill, users: c.Users}
	if len(c.RateSeries) > 0 {
		l.rate, l.series = c.RateSeries[0].QPS, c.RateSeries
	}
	return l
}

// warmupLoad is the run's load with the warmup's own settings over it.
func (c *Config) warmupLoad() load {
	l := c.profilingLoad()
	l.series = nil    // the warmup runs at the series' first rate
	l.users = Users{} // and by its own load, not user-centric
	w := c.Warmup
	if w.Concurrency > 0 {
		l.concurrency = w.Concurrency
	}
	if w.RequestRate > 0 {
		l.rate = w.RequestRate
	}
	if w.ArrivalPattern != "" {
		l.arrivals.Pattern = w.ArrivalPattern
	}
	if w.ConcurrencyRamp > 0 {
		l.ramps.Concurrency = w.ConcurrencyRamp
	}
	if w.RequestRateRamp > 0 {
		l.ramps.RequestRate = w.RequestRateRamp
	}
	if w.Prefill.Limit > 0 {
		l.prefill.Limit = w.Prefill.Limit
	}
	if w.Prefill.Ramp > 0 {
		l.prefill.Ramp = w.Prefill.Ramp
	}
	return l
}

// graceAfter returns a context for the warmup's requests that is cancelled
// grace after sent is called, and sent. stop releases the timer.
func graceAfter(reqCtx context.Context, grace time.Duration) (ctx context.Context, sent func(), stop func()) {
	ctx, cancel := context.WithCancel(reqCtx)
	var mu sync.Mutex
	var timer *time.Timer
	sent = func() {
		mu.Lock()
		defer mu.Unlock()
		if timer == nil {
			timer = time.AfterFunc(grace, cancel)
		}
	}
	stop = func() {
		mu.Lock()
		defer mu.Unlock()
		if timer != nil {
			timer.Stop()
		}
		cancel()
	}
	return ctx, sent, stop
}
