package sweep

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// The curve fit of AIPerf's smooth_isotonic search
// (orchestrator/search_planner/_smooth_isotonic_fit.py): isotonic
// regression (PAVA) takes the noise out of a series that should rise, a
// tiny ramp makes its flat runs strictly rising, and a PCHIP spline through
// the result is a smooth, monotone curve whose root is the SLA boundary.

// isotonic is the least-squares non-decreasing fit of ys (pool adjacent
// violators, equal weights), as scipy's isotonic_regression(increasing=True).
func isotonic(ys []float64) []float64 {
	type block struct {
		sum float64
		n   int
	}
	var blocks []block
	for _, y := range ys {
		blocks = append(blocks, block{y, 1})
		for len(blocks) > 1 {
			a, b := blocks[len(blocks)-2], blocks[len(blocks)-1]
			if a.sum/float64(a.n) <= b.sum/float64(b.n) {
				break
			}
			blocks = append(blocks[:len(blocks)-2], block{a.sum + b.sum, a.n + b.n})
		}
	}
	out := make([]float64, 0, len(ys))
	for _, b := range blocks {
		for range b.n {
			out = append(out, b.sum/float64(b.n))
		}
	}
	return out
}

// strictify adds i·eps to the i-th value, eps a billionth of the span (or
// a billionth when the span is not positive), so PAVA's flat runs rise.
func strictify(ys []float64) []float64 {
	out := slices.Clone(ys)
	if len(ys) == 0 {
		return out
	}
	eps := 1e-9
	if span := ys[len(ys)-1] - ys[0]; span > 0 {
		eps *= span
	}
	for i := range out {
		out[i] += float64(i) * eps
	}
	return out
}

// pchip is a piecewise cubic Hermite interpolant with the derivatives of
// scipy's PchipInterpolator (Fritsch–Carlson, weighted harmonic means).
type pchip struct{ xs, ys, ds []float64 }

func newPchip(xs, ys []float64) *pchip {
	n := len(xs)
	p := &pchip{xs: xs, ys: ys, ds: make([]float64, n)}
	if n < 2 {
		return p
	}
	h, m := make([]float64, n-1), make([]float64, n-1)
	for k := range n - 1 {
		h[k] = xs[k+1] - xs[k]
		m[k] = (ys[k+1] - ys[k]) / h[k]
	}
	if n == 2 {
		p.ds[0], p.ds[1] = m[0], m[0]
		return p
	}
	for k := 1; k < n-1; k++ {
		if m[k-1] == 0 || m[k] == 0 || math.Signbit(m[k-1]) != math.Signbit(m[k]) {
			continue
		}
		w1, w2 := 2*h[k]+h[k-1], h[k]+2*h[k-1]
		p.ds[k] = (w1 + w2) / (w1/m[k-1] + w2/m[k])
	}
	p.ds[0] = pchipEdge(h[0], h[1], m[0], m[1])
	p.ds[n-1] = pchipEdge(h[n-2], h[n-3], m[n-2], m[n-3])
	return p
}

// pchipEdge is the one-sided three-point end derivative, kept shape-preserving.
func pchipEdge(h0, h1, m0, m1 float64) float64 {
	d := ((2*h0+h1)*m0 - h0*m1) / (h0 + h1)
	switch {
	case sign(d) != sign(m0):
		return 0
	case sign(m0) != sign(m1) && math.Abs(d) > 3*math.Abs(m0):
		return 3 * m0
	}
	return d
}

func sign(v float64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// at evaluates the spline at x (the end pieces extended outside the knots).
func (p *pchip) at(x float64) float64 {
	n := len(p.xs)
	if n == 1 {
		return p.ys[0]
	}
	k, _ := slices.BinarySearch(p.xs, x)
	k = min(max(k-1, 0), n-2)
	h := p.xs[k+1] - p.xs[k]
	t := (x - p.xs[k]) / h
	t2, t3 := t*t, t*t*t
	return (2*t3-3*t2+1)*p.ys[k] + (t3-2*t2+t)*h*p.ds[k] + (-2*t3+3*t2)*p.ys[k+1] + (t3-t2)*h*p.ds[k+1]
}

// root is the first x in [lo, hi] where the spline crosses zero, within
// the knots; false when it does not.
func (p *pchip) root(lo, hi float64) (float64, bool) {
	lo, hi = max(lo, p.xs[0]), min(hi, p.xs[len(p.xs)-1])
	if lo > hi {
		return 0, false
	}
	// The knots inside [lo, hi] cut it into pieces the spline is one cubic on.
	cuts := []float64{lo}
	for _, x := range p.xs {
		if x > lo && x < hi {
			cuts = append(cuts, x)
		}
	}
	cuts = append(cuts, hi)
	for i := 0; i+1 < len(cuts); i++ {
		a, b := cuts[i], cuts[i+1]
		fa, fb := p.at(a), p.at(b)
		if fa == 0 {
			return a, true
		}
		if sign(fa) == sign(fb) {
			continue
		}
		for range 200 { // bisection to the float's last bit
			mid := a + (b-a)/2
			if mid <= a || mid >= b {
				break
			}
			if fm := p.at(mid); sign(fm) == sign(fa) {
				a, fa = mid, fm
			} else {
				b = mid
			}
		}
		return a + (b-a)/2, true
	}
	if p.at(hi) == 0 {
		return hi, true
	}
	return 0, false
}

// smoothIsotonicFit is PAVA, then strictify, then PCHIP through (xs, ·).
// xs must rise strictly.
func smoothIsotonicFit(xs, ys []float64) *pchip {
	return newPchip(xs, strictify(isotonic(ys)))
}

// Cliff guard (orchestrator/search_planner/_cliff_detect.py): the boundary
// is a cliff, not a curve a spline may interpolate, when the last point
// sits more than 3σ of the last three margins off the fit and the bracket
// is still wider than precision × the range's top.
const (
	cliffSigmas = 3.0
	cliffWindow = 3
)

// detectCliff judges the points (x rising, each x's mean margin) against
// their fit; feasibleMax or infeasibleMin 0: no bracket, no cliff.
func detectCliff(xs, ys []float64, fit *pchip, feasibleMax, infeasibleMin, xHi int, precision float64) bool {
	if len(ys) < cliffWindow {
		return false
	}
	_, sigma := stat.PopMeanStdDev(ys[len(ys)-cliffWindow:], nil) // statistics.pstdev
	if sigma == 0 {
		return false
	}
	last := len(xs) - 1
	if math.Abs(ys[last]-fit.at(xs[last])) <= cliffSigmas*sigma {
		return false
	}
	gap := 0
	if feasibleMax > 0 && infeasibleMin > 0 {
		gap = infeasibleMin - feasibleMax
	}
	return float64(gap) > precision*float64(xHi)
}
