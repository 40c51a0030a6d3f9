package profile

import (
	"fmt"
	"math"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
)

// warmupLoad is the warmup's own load from AIPerf's --warmup-* flags; each
// left unset takes the run's setting, as in AIPerf. --warmup-grace-period
// counts only when given (AIPerf's default waits for every warmup request);
// inf is the same as unset. Its errors are *options.Error (exit 2).
func warmupLoad(p *options.Profile, set map[string]bool) (probe.WarmupLoad, error) {
	bad := func(flag, format string, a ...any) error {
		return &options.Error{Flag: flag, Msg: fmt.Sprintf(format, a...)}
	}
	switch {
	case p.WarmupConcurrency < 0:
		return probe.WarmupLoad{}, bad("warmup-concurrency", "must be at least 1, got %d", p.WarmupConcurrency)
	case p.WarmupRequestRate < 0 || math.IsNaN(p.WarmupRequestRate) || math.IsInf(p.WarmupRequestRate, 0):
		return probe.WarmupLoad{}, bad("warmup-request-rate", "must be a finite rate > 0, got %g", p.WarmupRequestRate)
	case !validRamp(p.WarmupConcurrencyRampDuration):
		return probe.WarmupLoad{}, bad("warmup-concurrency-ramp-duration", "must be finite seconds > 0, got %g", p.WarmupConcurrencyRampDuration)
	case !validRamp(p.WarmupRequestRateRampDuration):
		return probe.WarmupLoad{}, bad("warmup-request-rate-ramp-duration", "must be finite seconds > 0, got %g", p.WarmupRequestRateRampDuration)
	case p.WarmupGracePeriod < 0 || math.IsNaN(p.WarmupGracePeriod):
		return probe.WarmupLoad{}, bad("warmup-grace-period", "must be seconds >= 0 (or inf), got %g", p.WarmupGracePeriod)
	}
	switch p.WarmupArrivalPattern {
	case "", "constant", "poisson", "gamma":
	default:
		return probe.WarmupLoad{}, bad("warmup-arrival-pattern", "unknown pattern %s (want constant, poisson or gamma)", clip.Quote(p.WarmupArrivalPattern))
	}
	w := probe.WarmupLoad{
		Concurrency:     p.WarmupConcurrency,
		RequestRate:     p.WarmupRequestRate,
		ArrivalPattern:  p.WarmupArrivalPattern,
		ConcurrencyRamp: secs(p.WarmupConcurrencyRampDuration),
		RequestRateRamp: secs(p.WarmupRequestRateRampDuration),
	}
	if set["warmup-grace-period"] && !math.IsInf(p.WarmupGracePeriod, 1) {
		w.Grace, w.GraceSet = secs(p.WarmupGracePeriod), true
	}
	return w, nil
}

// validRamp: a ramp is off (0) or finite seconds > 0.
func validRamp(s float64) bool { return s == 0 || (s > 0 && !math.IsInf(s, 0)) }
