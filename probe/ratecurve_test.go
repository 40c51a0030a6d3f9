package probe

import (
	"math"
	"math/rand/v2"
	"testing"
)

// checkArrivalWindows draws arrivals over the first 6 s as the engine draws
// them (unit-rate gaps of a's pattern mapped through c) and counts them in
// half-second windows: each count must be within constantTol of Λ(b) − Λ(a)
// for a constant pattern, and within 5 standard deviations plus one for any
// other (a Poisson count's variance is its mean; a gamma one's is less).
func checkArrivalWindows(t *testing.T, c rateCurve, a Arrivals, seed uint64, constantTol float64) {
	t.Helper()
	const end, window = 6.0, 0.5
	rng := rand.New(rand.NewPCG(seed, 1))
	var times []float64
	for done := 0.0; ; done += a.gap(rng, 1).Seconds() {
		at := c.offset(done)
		if at >= end {
			break
		}
		times = append(times, at)
	}
	for lo := 0.0; lo < end; lo += window {
		n := 0
		for _, x := range times {
			if x >= lo && x < lo+window {
				n++
			}
		}
		want := c.expected(lo+window) - c.expected(lo)
		tol := constantTol
		if a.Pattern != "constant" {
			tol = 5*math.Sqrt(want) + 1
		}
		if math.Abs(float64(n)-want) > tol {
			t.Errorf("%s: %d arrivals in [%.1f, %.1f) s, want %.1f ± %.1f", a.Pattern, n, lo, lo+window, want, tol)
		}
	}
}
