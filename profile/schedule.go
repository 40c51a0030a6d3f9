package profile

import (
	"fmt"
	"math"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
)

// schedule is the profiling phase's schedule beyond options.Options' load:
// AIPerf's --request-rate-series, --user-centric-rate and --num-users, and
// the prefill concurrency limits (--prefill-concurrency, --warmup-prefill-*).
type schedule struct {
	series        []probe.RatePoint
	users         probe.Users
	prefill       probe.Prefill
	warmupPrefill probe.Prefill
}

// scheduleFrom reads and checks AIPerf's scheduling flags that only
// `profile` has. Its errors are *options.Error (exit 2).
func scheduleFrom(o *options.Options, p *options.Profile, set map[string]bool) (schedule, error) {
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
	users, err := usersFrom(o, p)
	if err != nil {
		return s, err
	}
	s.users = users
	s.prefill, s.warmupPrefill, err = prefillFrom(o, p)
	if err != nil {
		return s, err
	}
	return s, nil
}

// prefillFrom checks the prefill concurrency limits as AIPerf does: at least
// 1, with --streaming (the first token frees the slot), at most the
// concurrency when one is set; a ramp needs its limit. The warmup's fall back
// to the run's.
func prefillFrom(o *options.Options, p *options.Profile) (run, warmup probe.Prefill, err error) {
	bad := func(flag, format string, a ...any) error {
		return &options.Error{Flag: flag, Msg: fmt.Sprintf(format, a...)}
	}
	warmupConcurrency := o.Concurrency
	if p.WarmupConcurrency > 0 {
		warmupConcurrency = p.WarmupConcurrency
	}
	for _, c := range []struct {
		flag, rampFlag, concurrencyFlag string
		limit, fallback, concurrency    int
		ramp                            float64
	}{
		{"prefill-concurrency", "prefill-concurrency-ramp-duration", "concurrency", p.PrefillConcurrency, 0, o.Concurrency, p.PrefillConcurrencyRampDuration},
		{"warmup-prefill-concurrency", "warmup-prefill-concurrency-ramp-duration", "warmup-concurrency", p.WarmupPrefillConcurrency, p.PrefillConcurrency, warmupConcurrency, p.WarmupPrefillConcurrencyRampDuration},
	} {
		switch {
		case c.limit < 0:
			return run, warmup, bad(c.flag, "must be at least 1, got %d", c.limit)
		case c.limit > 0 && !o.Streaming:
			return run, warmup, bad(c.flag, "needs --streaming: a prefill slot is freed at the first token")
		case c.limit > 0 && c.concurrency > 0 && c.limit > c.concurrency:
			return run, warmup, bad(c.flag, "%d is more than --%s %d", c.limit, c.concurrencyFlag, c.concurrency)
		case !validRamp(c.ramp):
			return run, warmup, bad(c.rampFlag, "must be finite seconds > 0, got %g", c.ramp)
		case c.ramp > 0 && c.limit == 0 && c.fallback == 0:
			return run, warmup, bad(c.rampFlag, "needs --prefill-concurrency")
		}
	}
	run = probe.Prefill{Limit: p.PrefillConcurrency, Ramp: secs(p.PrefillConcurrencyRampDuration)}
	warmup = probe.Prefill{Limit: p.WarmupPrefillConcurrency, Ramp: secs(p.WarmupPrefillConcurrencyRampDuration)}
	return run, warmup, nil
}

// usersFrom checks --user-centric-rate and --num-users as AIPerf does: the
// rate needs the users, the users need the rate, and neither goes with
// another way of setting the rate.
func usersFrom(o *options.Options, p *options.Profile) (probe.Users, error) {
	bad := func(flag, format string, a ...any) error {
		return &options.Error{Flag: flag, Msg: fmt.Sprintf(format, a...)}
	}
	r, n := p.UserCentricRate, p.NumUsers
	switch {
	case r < 0 || math.IsNaN(r) || math.IsInf(r, 0):
		return probe.Users{}, bad("user-centric-rate", "must be a finite rate > 0, got %g", r)
	case r > 0 && float64(time.Second)/r < 1:
		return probe.Users{}, bad("user-centric-rate", "%g is too high (one request every %g seconds rounds to 0 ns)", r, 1/r)
	case r > 0 && 1/r > maxGapSeconds:
		return probe.Users{}, bad("user-centric-rate", "%g is too low (one request every %g seconds is beyond 100 years)", r, 1/r)
	case n < 0:
		return probe.Users{}, bad("num-users", "must be at least 1, got %d", n)
	case n > 0 && r == 0:
		return probe.Users{}, bad("num-users", "needs --user-centric-rate")
	case r == 0:
		return probe.Users{}, nil
	case n == 0:
		return probe.Users{}, bad("user-centric-rate", "requires --num-users")
	case float64(n)/r > maxGapSeconds:
		return probe.Users{}, bad("num-users", "%d users at %g per second put %g seconds between a user's turns, beyond 100 years", n, r, float64(n)/r)
	case o.RequestRate > 0:
		return probe.Users{}, bad("user-centric-rate", "cannot be combined with --request-rate")
	case o.FixedSchedule:
		return probe.Users{}, bad("user-centric-rate", "cannot be combined with --fixed-schedule")
	}
	return probe.Users{Rate: r, Count: n}, nil
}

// maxGapSeconds bounds a gap between requests so it fits a time.Duration.
const maxGapSeconds = 100 * 365.25 * 24 * 3600

// checkTrace refuses a rate series or user-centric timing on a dataset sent
// at its trace timestamps (which AIPerf prefers silently): one of them would
// be ignored.
func (s schedule) checkTrace(fixed bool) error {
	msg := "the input file is a trace sent at its timestamps; add --no-fixed-schedule to send it by this schedule"
	switch {
	case fixed && len(s.series) > 0:
		return &options.Error{Flag: "request-rate-series", Msg: msg}
	case fixed && s.users.Rate > 0:
		return &options.Error{Flag: "user-centric-rate", Msg: msg}
	}
	return nil
}

// apply puts the schedule into the probe's settings.
func (s schedule) apply(cfg *probe.Config, o *options.Options) {
	if len(s.series) > 0 {
		cfg.RateSeries = s.series
		cfg.Concurrency = o.Concurrency // a cap on requests in flight, as with --request-rate
	}
	cfg.Prefill, cfg.Warmup.Prefill = s.prefill, s.warmupPrefill
	if s.users.Rate > 0 {
		cfg.Users = s.users
		cfg.Concurrency = o.Concurrency // a cap on users sending at once; 0: none
	}
}
