package probe

import (
	"math"
	"time"
)

// Ramps raise the load gradually at the start of each phase, as AIPerf's
// --concurrency-ramp-duration and --request-rate-ramp-duration do. 0: no ramp.
type Ramps struct {
	// Concurrency ramps the allowed in-flight requests from 1 to --concurrency
	// linearly: at t, 1 + floor((N-1)·t/D) are allowed.
	Concurrency time.Duration
	// RequestRate ramps the rate linearly from target·rampStep/D to the target.
	RequestRate time.Duration
}

// rampStep is AIPerf's rate-ramp update interval: its ramp starts at
// target × rampStep / duration, so a rate below 1 per second still ramps.
const rampStep = 100 * time.Millisecond

// concurrencyRampOffsets are the times at which the allowed concurrency grows
// to 1, 2, …, n: slot i opens at i·D/(n-1).
func concurrencyRampOffsets(n int, d time.Duration) []time.Duration {
	out := make([]time.Duration, n)
	for i := 1; i < n; i++ {
		out[i] = time.Duration(float64(d) * float64(i) / float64(n-1))
	}
	return out
}

// rateRamp is a rate rising linearly from start to target over dur seconds,
// then staying at target. Arrivals follow it by a change of time: the k-th
// arrival of a unit-rate process at "work" w is sent when the ramp's expected
// count Λ(t) = ∫₀ᵗ rate reaches w, so the gaps keep their shape (Poisson stays
// Poisson, gamma stays gamma) while the rate follows the ramp.
type rateRamp struct {
	start, target, dur float64
}

func newRateRamp(target float64, d time.Duration) rateRamp {
	return rateRamp{start: target * rampStep.Seconds() / d.Seconds(), target: target, dur: d.Seconds()}
}

// rate is the ramp's rate t seconds in.
func (r rateRamp) rate(t float64) float64 {
	if t >= r.dur {
		return r.target
	}
	return r.start + (r.target-r.start)*t/r.dur
}

// expected is Λ(t), the expected number of arrivals in the first t seconds.
func (r rateRamp) expected(t float64) float64 {
	if t <= r.dur {
		return r.start*t + (r.target-r.start)*t*t/(2*r.dur)
	}
	return r.expected(r.dur) + r.target*(t-r.dur)
}

// offset inverts expected: the time, in seconds, at which Λ reaches work.
func (r rateRamp) offset(work float64) float64 {
	if end := r.expected(r.dur); work > end {
		return r.dur + (work-end)/r.target
	}
	a := (r.target - r.start) / (2 * r.dur)
	if a == 0 {
		return work / r.start
	}
	// a·t² + start·t − work = 0, in the form that keeps precision for small t.
	return 2 * work / (r.start + math.Sqrt(r.start*r.start+4*a*work))
}
