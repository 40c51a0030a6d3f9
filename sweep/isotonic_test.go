package sweep

import (
	"math"
	"slices"
	"testing"
)

func TestIsotonicPoolsViolators(t *testing.T) {
	for _, c := range []struct{ in, want []float64 }{
		{[]float64{-2, -0.9, -1.1, 1, 2}, []float64{-2, -1, -1, 1, 2}}, // AIPerf's docstring example
		{[]float64{1, 100, 5, 5.05, 5.1, 5, 5.05, 5.1}, []float64{1, 130.3 / 7, 130.3 / 7, 130.3 / 7, 130.3 / 7, 130.3 / 7, 130.3 / 7, 130.3 / 7}},
		{[]float64{3, 2, 1}, []float64{2, 2, 2}},
		{[]float64{1, 2, 3}, []float64{1, 2, 3}},
	} {
		got := isotonic(c.in)
		if len(got) != len(c.want) {
			t.Fatalf("isotonic(%v) = %v", c.in, got)
		}
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("isotonic(%v) = %v, want %v", c.in, got, c.want)
				break
			}
		}
	}
}

// The fit of AIPerf's docstring: PAVA pools the noisy second and third
// points, so the curve at 3.5 is above -1.
func TestSmoothIsotonicFitDocExample(t *testing.T) {
	fit := smoothIsotonicFit([]float64{1, 2, 3, 4, 5}, []float64{-2, -0.9, -1.1, 1, 2})
	if v := fit.at(3.5); v <= -1 {
		t.Errorf("curve(3.5) = %g, want above -1", v)
	}
	root, ok := fit.root(1, 5)
	if !ok || root <= 3 || root >= 4 || math.Abs(fit.at(root)) > 1e-9 {
		t.Errorf("root %g, %v (curve there %g)", root, ok, fit.at(root))
	}
}

// PCHIP as scipy's PchipInterpolator documents it, worked by hand (scipy
// is not installed here to check against): a linear series stays linear; a
// flat middle gets zero derivatives and three-point end derivatives.
func TestPchipMatchesScipy(t *testing.T) {
	lin := newPchip([]float64{1, 2, 4, 8}, []float64{2, 4, 8, 16})
	for _, x := range []float64{1, 1.5, 3, 6.5, 8} {
		if v := lin.at(x); math.Abs(v-2*x) > 1e-12 {
			t.Errorf("linear at %g = %g", x, v)
		}
	}
	// slopes 1, 0, 1: the inner knots sit between a rise and a flat (0);
	// the ends are ((2h0+h1)m0 − h0·m1)/(h0+h1) = 3/2, under 3·m0.
	p := newPchip([]float64{0, 1, 2, 3}, []float64{0, 1, 1, 2})
	if want := []float64{1.5, 0, 0, 1.5}; !slices.Equal(p.ds, want) {
		t.Errorf("derivatives %v, want %v", p.ds, want)
	}
	if v := p.at(0.5); math.Abs(v-0.6875) > 1e-12 { // Hermite at t=½: ½·0 + ⅛·1.5 + ½·1 − ⅛·0
		t.Errorf("at(0.5) = %g", v)
	}
	if _, ok := p.root(0.5, 3); ok {
		t.Error("a root where the curve stays above 0")
	}
}

// AIPerf's tests of the cliff guard (tests/unit/.../test_cliff_detect.py).
func TestDetectCliff(t *testing.T) {
	xs8 := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	spike := []float64{1, 100, 5, 5.05, 5.1, 5, 5.05, 5.1}
	// AIPerf draws the smooth curve's noise from numpy's seeded generator;
	// these are fixed draws of the same size (σ 0.05).
	noise := []float64{0.015, -0.052, 0.038, 0.047, -0.098, -0.065, 0.006, -0.016, -0.001, -0.043}
	var xs10, smooth []float64
	for i := range 10 {
		x := float64(i + 1)
		xs10, smooth = append(xs10, x), append(smooth, 0.5*(x-5)+noise[i])
	}
	for _, c := range []struct {
		name         string
		xs, ys       []float64
		fitXs, fitYs []float64 // nil: xs, ys
		fmax, imin   int
		xHi          int
		precision    float64
		want         bool
	}{
		{name: "smooth curve", xs: xs10, ys: smooth, fmax: 4, imin: 6, xHi: 10, precision: 0.05, want: false},
		{name: "cliff", xs: xs8, ys: spike, fmax: 2, imin: 8, xHi: 10, precision: 0.05, want: true},
		{name: "too few points", xs: []float64{1, 2}, ys: []float64{-1, 1}, fitXs: []float64{1, 2, 3}, fitYs: []float64{-1, 0, 1},
			fmax: 1, imin: 2, xHi: 10, precision: 0.05, want: false},
		{name: "zero sigma", xs: []float64{1, 2, 3}, ys: []float64{0, 0, 0}, fmax: 1, imin: 3, xHi: 10, precision: 0.05, want: false},
		{name: "bracket too narrow", xs: xs8, ys: spike, fmax: 7, imin: 8, xHi: 10, precision: 0.5, want: false},
		{name: "no bracket", xs: xs8, ys: spike, xHi: 1000, precision: 0.05, want: false},
	} {
		fx, fy := c.fitXs, c.fitYs
		if fx == nil {
			fx, fy = c.xs, c.ys
		}
		if got := detectCliff(c.xs, c.ys, smoothIsotonicFit(fx, fy), c.fmax, c.imin, c.xHi, c.precision); got != c.want {
			t.Errorf("%s: cliff %v, want %v", c.name, got, c.want)
		}
	}
}
