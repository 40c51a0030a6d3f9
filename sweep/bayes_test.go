package sweep

import (
	"math"
	"slices"
	"testing"
)

// driveBayes drives b against f until it stops, returning the settings it chose.
func driveBayes(b *Bayes, f func(x []float64) (float64, bool)) [][]float64 {
	var seen [][]float64
	for {
		x, ok := b.Next()
		if !ok {
			return seen
		}
		obj, feasible := f(x)
		b.Tell(x, obj, viol(feasible))
		seen = append(seen, x)
	}
}

// On a smooth curve the search finds the optimum in a budget far below the
// range's size, seeded points first, and keeps to whole numbers in bounds.
func TestBayesFindsTheOptimum(t *testing.T) {
	for _, c := range []struct {
		name     string
		dim      Dim
		maximize bool
		f        func(x float64) float64
		want     float64
		within   float64
	}{
		{"max 1D int", Dim{Lo: 1, Hi: 200, Int: true}, true, func(x float64) float64 { return 1000 - (x-37)*(x-37) }, 37, 3},
		{"min 1D real", Dim{Lo: 0.1, Hi: 10}, false, func(x float64) float64 { return (x - 6.5) * (x - 6.5) }, 6.5, 0.3},
		{"max 1D int log", Dim{Lo: 1, Hi: 1000, Int: true, Log: true}, true, func(x float64) float64 { return -math.Pow(math.Log(x)-math.Log(120), 2) }, 120, 25},
	} {
		b := NewBayes([]Dim{c.dim}, c.maximize, 25, 5, 42)
		b.Patience = 25
		seen := driveBayes(b, func(x []float64) (float64, bool) { return c.f(x[0]), true })
		best := seen[0][0]
		for _, x := range seen {
			if x[0] < c.dim.Lo || x[0] > c.dim.Hi || (c.dim.Int && x[0] != math.Round(x[0])) {
				t.Errorf("%s: probed %v outside the dimension", c.name, x)
			}
			if (c.maximize && c.f(x[0]) > c.f(best)) || (!c.maximize && c.f(x[0]) < c.f(best)) {
				best = x[0]
			}
		}
		if math.Abs(best-c.want) > c.within {
			t.Errorf("%s: best %g after %d iterations (%s), want %g ± %g; probes %v", c.name, best, len(seen), b.Reason, c.want, c.within, seen)
		}
	}
}

// Two dimensions: the optimum of a bowl in concurrency × request rate.
func TestBayesTwoDimensions(t *testing.T) {
	dims := []Dim{{Lo: 1, Hi: 64, Int: true}, {Lo: 0.5, Hi: 20}}
	b := NewBayes(dims, false, 40, 6, 7)
	b.Patience = 40
	f := func(x []float64) (float64, bool) { return math.Pow((x[0]-20)/64, 2) + math.Pow((x[1]-5)/20, 2), true }
	seen := driveBayes(b, f)
	best := math.Inf(1)
	for _, x := range seen {
		v, _ := f(x)
		best = math.Min(best, v)
	}
	if best > 0.005 {
		t.Errorf("best loss %g after %d probes", best, len(seen))
	}
}

// The seed fixes every probe; another seed makes other ones.
func TestBayesSeeded(t *testing.T) {
	f := func(x []float64) (float64, bool) { return math.Sin(x[0] / 10), true }
	probes := func(seed uint64) [][]float64 {
		b := NewBayes([]Dim{{Lo: 1, Hi: 100, Int: true}}, true, 12, 4, seed)
		return driveBayes(b, f)
	}
	a, again, other := probes(1), probes(1), probes(2)
	if !slices.EqualFunc(a, again, slices.Equal) {
		t.Errorf("one seed, two searches: %v and %v", a, again)
	}
	if slices.EqualFunc(a, other, slices.Equal) {
		t.Errorf("seeds 1 and 2 probed alike: %v", a)
	}
}

// AIPerf's three stops, each alone.
func TestBayesStops(t *testing.T) {
	dim := []Dim{{Lo: 1, Hi: 1000, Int: true}}
	flat := NewBayes(dim, true, 50, 5, 3)
	if n := len(driveBayes(flat, func([]float64) (float64, bool) { return 100, true })); flat.Reason != "plateau_cv" || n != 8 {
		t.Errorf("a flat objective: %s after %d, want plateau_cv after 8", flat.Reason, n)
	}
	k := 0.0
	worse := NewBayes(dim, true, 50, 5, 3) // each iteration worse than the first: no improvement
	if n := len(driveBayes(worse, func([]float64) (float64, bool) { k++; return 1000 / k, true })); worse.Reason != "improvement_patience" || n != 11 {
		t.Errorf("no improvement: %s after %d, want improvement_patience after 11", worse.Reason, n)
	}
	k = 0
	budget := NewBayes(dim, true, 6, 5, 3)
	if n := len(driveBayes(budget, func([]float64) (float64, bool) { k++; return k, true })); budget.Reason != "max_iterations" || n != 6 {
		t.Errorf("budget: %s after %d, want max_iterations after 6", budget.Reason, n)
	}
}

// A setting breaking an SLA never counts as the best, and the model of the
// violations steers the search below it: the objective grows with
// concurrency, the SLA holds up to 50.
func TestBayesAvoidsInfeasible(t *testing.T) {
	b := NewBayes([]Dim{{Lo: 1, Hi: 200, Int: true}}, true, 25, 5, 11)
	b.Patience = 25
	var seen [][]float64
	for {
		x, ok := b.Next()
		if !ok {
			break
		}
		b.Tell(x, x[0], (x[0]-50)/50) // the SLA's figure grows with the load
		seen = append(seen, x)
	}
	best := 0.0
	for _, x := range seen {
		if x[0] <= 50 {
			best = math.Max(best, x[0])
		}
	}
	if best < 40 {
		t.Errorf("best feasible %g, want near 50; probes %v", best, seen)
	}
	late := 0
	for _, x := range seen[10:] {
		if x[0] > 100 {
			late++
		}
	}
	if late > 3 {
		t.Errorf("%d late probes far into the breaking region: %v", late, seen)
	}
}

// A failed iteration (no objective) is told a penalty, not a NaN.
func TestBayesFailedIteration(t *testing.T) {
	b := NewBayes([]Dim{{Lo: 1, Hi: 10, Int: true}}, true, 8, 2, 1)
	b.Tell([]float64{3}, math.NaN(), 1)
	b.Tell([]float64{5}, 7, -1)
	b.Tell([]float64{8}, math.NaN(), 1)
	if b.losses[0] != 1e6 || b.losses[2] != -7+1 {
		t.Errorf("penalties %v, want 1e6 before any objective, then the worst loss + 1", b.losses)
	}
	if x, ok := b.Next(); !ok || math.IsNaN(x[0]) {
		t.Errorf("next after failures: %v %v", x, ok)
	}
}

// The model interpolates what it was told where the noise is small.
func TestGPInterpolates(t *testing.T) {
	xs := [][]float64{{0}, {0.25}, {0.5}, {0.75}, {1}}
	ys := []float64{1, 3, 2, 5, 4}
	g := fitGP(xs, ys)
	for i, x := range xs {
		mu, _ := g.predict(x)
		if got := mu*g.sd + g.mean; math.Abs(got-ys[i]) > 0.3 {
			t.Errorf("at %v: %g, want about %g", x, got, ys[i])
		}
	}
	if _, sigma := g.predict([]float64{0.125}); sigma <= 0 {
		t.Errorf("no uncertainty between points: %g", sigma)
	}
}

// viol is a violation that says only whether the SLAs held.
func viol(feasible bool) float64 {
	if feasible {
		return -1
	}
	return 1
}

// BenchmarkBayesNext is the planner's cost of one choice after 200
// iterations (AIPerf's most): the fit over the hyper-parameter grid and
// 2000 candidates' expected improvement, in two dimensions.
func BenchmarkBayesNext(b *testing.B) {
	bs := NewBayes([]Dim{{Lo: 1, Hi: 1000, Int: true}, {Lo: 0.1, Hi: 50}}, true, 201, 5, 1)
	bs.Patience, bs.PlateauWindow = 1000, 1000
	for i := 0; i < 200; i++ { // told straight away: the setup fits no model
		x := []float64{float64(1 + (i*37)%1000), 0.1 + float64((i*13)%50)}
		bs.Tell(x, math.Sin(x[0]/100)+math.Cos(x[1]/10), -1)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bs.Next()
	}
}
