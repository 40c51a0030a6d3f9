package probe

import (
	"math"
	"math/rand/v2"
	"time"
)

// Arrivals is the shape of an open loop's gaps between requests
// (--arrival-pattern, --arrival-smoothness). Every shape has mean gap 1/rate.
type Arrivals struct {
	// Pattern is "constant" (the zero value, ""), "poisson" or "gamma".
	Pattern string
	// Smoothness is the gamma shape k: below 1 bursty, 1 Poisson, above 1 more
	// regular; the gaps' coefficient of variation is 1/sqrt(k). It is vLLM's
	// --burstiness: gamma(shape k, scale 1/(rate·k)). 0 means 1.
	Smoothness float64
}

// gap draws the time to the next arrival at rate requests per second. It is
// pure given rng, so its distribution is tested without a clock.
func (a Arrivals) gap(rng *rand.Rand, rate float64) time.Duration {
	mean := float64(time.Second) / rate
	switch a.Pattern {
	case "poisson":
		return time.Duration(rng.ExpFloat64() * mean)
	case "gamma":
		k := a.Smoothness
		if k == 0 {
			k = 1
		}
		return time.Duration(gammaUnit(rng, k) * mean / k)
	default:
		return time.Duration(mean)
	}
}

// gammaUnit draws from the gamma distribution of shape k and scale 1 (mean k)
// by Marsaglia and Tsang's method (ACM TOMS 26(3), 2000). A shape below 1 uses
// their boost: Gamma(k) = Gamma(k+1)·U^(1/k).
func gammaUnit(rng *rand.Rand, k float64) float64 {
	if k < 1 {
		return gammaUnit(rng, k+1) * math.Pow(1-rng.Float64(), 1/k) // U in (0, 1]
	}
	d := k - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < x*x/2+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}
