package plot

import (
	"math"
	"testing"

	"gonum.org/v1/plot/plotter"
)

func TestFitLine(t *testing.T) {
	cases := []struct {
		name string
		xys  plotter.XYs
		a, b float64
		ok   bool
	}{
		{"exact", plotter.XYs{{X: 1, Y: 12}, {X: 2, Y: 14}, {X: 4, Y: 18}}, 10, 2, true},
		{"noisy", plotter.XYs{{X: 0, Y: 1}, {X: 0, Y: -1}, {X: 2, Y: 3}, {X: 2, Y: 1}}, 0, 1, true},
		{"one x", plotter.XYs{{X: 3, Y: 1}, {X: 3, Y: 5}}, 0, 0, false},
		{"one point", plotter.XYs{{X: 3, Y: 1}}, 0, 0, false},
	}
	for _, c := range cases {
		a, b, ok := fitLine(c.xys)
		if ok != c.ok || math.Abs(a-c.a) > 1e-9 || math.Abs(b-c.b) > 1e-9 {
			t.Errorf("%s: a=%v b=%v ok=%v, want %v %v %v", c.name, a, b, ok, c.a, c.b, c.ok)
		}
	}
}
