package probe

import (
	"math"
	"sort"
)

// rateCurve is a request rate that moves linearly between knots and stays at
// the last knot's rate after it: a rate ramp (two knots) or a
// --request-rate-series. Arrivals follow it by a change of time: the k-th
// arrival of a unit-rate process at "work" w is sent when the expected count
// Λ(t) = ∫₀ᵗ rate reaches w, so the gaps keep their shape (Poisson stays
// Poisson, gamma stays gamma) while the rate follows the curve.
type rateCurve struct {
	at, rates []float64 // knot times (seconds, the first 0, increasing) and rates (> 0)
	work      []float64 // Λ at each knot
}

// newRateCurve builds a curve through points, whose times increase from 0;
// a point at the same time as the one before it is dropped.
func newRateCurve(points []RatePoint) rateCurve {
	var c rateCurve
	for _, p := range points {
		if n := len(c.at); n > 0 && p.TimeS <= c.at[n-1] {
			continue
		}
		c.at, c.rates = append(c.at, p.TimeS), append(c.rates, p.QPS)
	}
	c.work = make([]float64, len(c.at))
	for i := 1; i < len(c.at); i++ {
		c.work[i] = c.work[i-1] + (c.rates[i-1]+c.rates[i])/2*(c.at[i]-c.at[i-1])
	}
	return c
}

// points are the curve's knots.
func (c rateCurve) points() []RatePoint {
	out := make([]RatePoint, len(c.at))
	for i := range c.at {
		out[i] = RatePoint{TimeS: c.at[i], QPS: c.rates[i]}
	}
	return out
}

// segment is the index of the knot that starts the piece holding t.
func (c rateCurve) segment(t float64) int {
	return max(sort.SearchFloat64s(c.at, t)-1, 0)
}

// rate is the curve's rate t seconds in.
func (c rateCurve) rate(t float64) float64 {
	i := c.segment(t)
	if i == len(c.at)-1 || t <= c.at[0] {
		return c.rates[min(i, len(c.at)-1)]
	}
	return c.rates[i] + (c.rates[i+1]-c.rates[i])*(t-c.at[i])/(c.at[i+1]-c.at[i])
}

// expected is Λ(t), the expected number of arrivals in the first t seconds.
func (c rateCurve) expected(t float64) float64 {
	i := c.segment(t)
	x := t - c.at[i]
	return c.work[i] + (c.rates[i]+c.rate(t))/2*x
}

// offset inverts expected: the time, in seconds, at which Λ reaches work.
func (c rateCurve) offset(work float64) float64 {
	i := max(sort.SearchFloat64s(c.work, work)-1, 0)
	w := work - c.work[i]
	r0 := c.rates[i]
	if i == len(c.at)-1 {
		return c.at[i] + w/r0
	}
	a := (c.rates[i+1] - r0) / (2 * (c.at[i+1] - c.at[i]))
	if a == 0 {
		return c.at[i] + w/r0
	}
	// a·x² + r0·x − w = 0, in the form that keeps precision for small x.
	return c.at[i] + 2*w/(r0+math.Sqrt(max(r0*r0+4*a*w, 0)))
}
