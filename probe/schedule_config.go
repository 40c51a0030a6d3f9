package probe

import (
	"context"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// Schedule holds the scheduling settings beyond the load shape: the context
// requests run on and the fixed-schedule window. Config embeds it.
type Schedule struct {
	// RequestContext, when set, is the context requests in flight run on: ending
	// Run's ctx then only stops scheduling, and requests already sent keep running
	// until they finish or RequestContext ends (the daemon's graceful drain).
	// Nil: requests run on Run's ctx.
	RequestContext context.Context

	// Arrivals is the shape of a --request-rate's gaps (arrivals.go).
	Arrivals Arrivals
	// Ready is the wait for the model before the first request (ready.go).
	Ready Readiness
	// Ramps raise the load gradually at each phase's start (ramp.go).
	Ramps Ramps

	// RateSeries, when set, is the profiling phase's rate over time
	// (--request-rate-series, rateseries.go); RequestRate is then unused.
	RateSeries []RatePoint

	// Users, when its Rate is set, runs the profiling phase user-centric
	// (--user-centric-rate, --num-users; users.go).
	Users Users

	// Prefill limits the requests before their first token
	// (--prefill-concurrency; prefill.go).
	Prefill Prefill

	// FixedAutoOffset shifts the trace so its first kept timestamp is sent at once
	// (--fixed-schedule-auto-offset).
	FixedAutoOffset bool
	// FixedStartOffset skips timestamps before it; without auto offset it is also
	// the schedule's zero (--fixed-schedule-start-offset).
	FixedStartOffset time.Duration
	// FixedEndOffset skips timestamps after it; 0 means no end
	// (--fixed-schedule-end-offset).
	FixedEndOffset time.Duration
}

// applyScheduleOptions copies the arrival shape, the readiness wait, the ramps
// and the fixed-schedule window from the options.
// ConfigFrom calls it.
func applyScheduleOptions(c *Config, o *options.Options) {
	c.Arrivals = Arrivals{Pattern: o.ArrivalPattern, Smoothness: o.ArrivalSmoothness}
	c.Ready = Readiness{
		Timeout:  time.Duration(o.WaitForModelTimeout * float64(time.Second)),
		Interval: time.Duration(o.WaitForModelInterval * float64(time.Second)),
		Mode:     o.WaitForModelMode, Models: o.Models, EndpointPath: o.EndpointPath(),
	}
	c.Ramps = Ramps{
		Concurrency: time.Duration(o.ConcurrencyRampDuration * float64(time.Second)),
		RequestRate: time.Duration(o.RequestRateRampDuration * float64(time.Second)),
	}
	if len(o.Models) > 0 {
		c.Ready.Body, c.Ready.ContentType, c.Ready.RefusedIsReady = readyRequest(o.EndpointType, o.Models[0], o.LegacyMaxTokens)
	}
	c.FixedAutoOffset = o.FixedAutoOffset
	c.FixedStartOffset = time.Duration(o.FixedStartOffsetMs) * time.Millisecond
	c.FixedEndOffset = time.Duration(o.FixedEndOffsetMs) * time.Millisecond
}
