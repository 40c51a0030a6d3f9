package profile

import (
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
)

// schedule is the profiling phase's schedule beyond options.Options' load:
// AIPerf's --request-rate-series.
type schedule struct {
	series []probe.RatePoint
}

// scheduleFrom reads and checks AIPerf's scheduling flags that only
// `profile` has. Its errors are *options.Error (exit 2).
func scheduleFrom(o *options.Options, p *options.Profile) (schedule, error) {
	var s schedule
	if p.RequestRateSeries != "" {
		bad := func(msg string) error { return &options.Error{Flag: "request-rate-series", Msg: msg} }
		switch {
		case o.RequestRate > 0:
			return s, bad("cannot be combined with --request-rate: the series sets the rate")
		case p.UserCentricRate > 0:
			return s, bad("cannot be combined with --user-centric-rate")
		case o.FixedSchedule:
			return s, bad("cannot be combined with --fixed-schedule")
		}
		points, err := probe.ReadRateSeries(p.RequestRateSeries)
		if err != nil {
			return s, bad(err.Error())
		}
		s.series = points
	}
	return s, nil
}

// apply puts the schedule into the probe's settings.
func (s schedule) apply(cfg *probe.Config, o *options.Options) {
	if len(s.series) > 0 {
		cfg.RateSeries = s.series
		cfg.Concurrency = o.Concurrency // a cap on requests in flight, as with --request-rate
	}
}
