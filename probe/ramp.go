package probe

import "time"

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

// newRateRamp is a rate rising linearly from AIPerf's proportional start
// (target·rampStep/d) to target over d, then staying at target.
func newRateRamp(target float64, d time.Duration) rateCurve {
	return newRateCurve([]RatePoint{{TimeS: 0, QPS: target * rampStep.Seconds() / d.Seconds()}, {TimeS: d.Seconds(), QPS: target}})
}
