package sweep

import (
	"math"
	"math/rand/v2"
)

// Dim is one dimension of an adaptive search: a setting the runs get and
// the inclusive bounds the search keeps to.
type Dim struct {
	Path   string // as AIPerf names it: phases.profiling.concurrency
	Param  Param  // the setting a run gets: concurrency, request_rate, isl ...
	Lo, Hi float64
	Int    bool // whole numbers (AIPerf's kind int), else real
	Log    bool // spread on a log scale (AIPerf's log-uniform prior)
}

// at is the dimension's value at u, a point of [0, 1].
func (d Dim) at(u float64) float64 {
	u = math.Min(1, math.Max(0, u))
	x := d.Lo + u*(d.Hi-d.Lo)
	if d.Log {
		x = math.Exp(math.Log(d.Lo) + u*(math.Log(d.Hi)-math.Log(d.Lo)))
	}
	if d.Int {
		x = math.Round(x)
	}
	return math.Min(d.Hi, math.Max(d.Lo, x))
}

// unit is where value x lies in [0, 1]: at's inverse.
func (d Dim) unit(x float64) float64 {
	if d.Log {
		return (math.Log(x) - math.Log(d.Lo)) / (math.Log(d.Hi) - math.Log(d.Lo))
	}
	return (x - d.Lo) / (d.Hi - d.Lo)
}

// Bayes is AIPerf's Bayesian-optimisation planner (--search-planner
// bayesian) in its plainest form: InitialPoints quasi-random points (a
// Halton sequence shifted by the seed, where AIPerf draws Sobol points),
// then each next point is the one of many seeded candidates with the
// largest expected improvement under a Gaussian-process model of the
// losses told so far (gp.go), weighted by the chance that it meets the
// SLAs under a second model of their violations (expected improvement with
// constraints, AIPerf's EIC). It stops as AIPerf's does: after
// MaxIterations, after Patience iterations without a better feasible
// objective, or when the last PlateauWindow objectives vary by less than
// PlateauThreshold (their coefficient of variation).
type Bayes struct {
	Dims             []Dim
	Maximize         bool
	MaxIterations    int
	InitialPoints    int
	Patience         int     // AIPerf's improvement_patience: 10
	PlateauWindow    int     // plateau_window: 8
	PlateauThreshold float64 // plateau_threshold: 0.01

	// Reason is why the search stopped, in AIPerf's words; "" while it goes on.
	Reason string

	rng       *rand.Rand
	shift     []float64   // the Halton sequence's random shift, per dimension
	xs        [][]float64 // the points told, in [0, 1] per dimension
	losses    []float64   // the loss the model was told for each
	violation []float64   // how far each broke the SLAs (≤ 0: met them)
	real      []float64   // the losses of iterations with an objective
	objs      []float64   // the objective of each iteration; NaN: none
	bestLoss  float64     // the lowest loss of a feasible iteration
	hasBest   bool
	sinceBest int
}

// NewBayes is a search over dims with AIPerf's stopping defaults.
func NewBayes(dims []Dim, maximize bool, maxIterations, initialPoints int, seed uint64) *Bayes {
	b := &Bayes{Dims: dims, Maximize: maximize, MaxIterations: maxIterations, InitialPoints: initialPoints,
		Patience: 10, PlateauWindow: 8, PlateauThreshold: 0.01, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	for range dims {
		b.shift = append(b.shift, b.rng.Float64())
	}
	return b
}

// Next is the setting to run next, one value per dimension; false once the
// search has stopped.
func (b *Bayes) Next() ([]float64, bool) {
	if b.Reason == "" && len(b.xs) >= b.MaxIterations {
		b.Reason = "max_iterations"
	}
	if b.Reason != "" {
		return nil, false
	}
	if len(b.xs) < b.InitialPoints {
		u := make([]float64, len(b.Dims))
		for j := range u {
			u[j] = math.Mod(halton(len(b.xs)+1, primes[j%len(primes)])+b.shift[j], 1)
		}
		return b.values(u), true
	}
	return b.values(b.mostPromising()), true
}

// mostPromising is the candidate of largest expected improvement: uniform
// random points of the cube and small steps around the best point seen,
// each snapped to a setting the runs can take (whole numbers stay whole).
func (b *Bayes) mostPromising() []float64 {
	g := fitGP(b.xs, b.losses)
	var c *gp // the SLAs' model, once a setting broke one
	bestAt := -1
	for i, v := range b.violation {
		if v > 0 && c == nil {
			c = fitGP(b.xs, b.violation)
		}
		if v <= 0 && (bestAt < 0 || b.losses[i] < b.losses[bestAt]) {
			bestAt = i
		}
	}
	if bestAt >= 0 { // improve on the best setting that met the SLAs
		g.best = (b.losses[bestAt] - g.mean) / g.sd
	} else {
		bestAt = 0
	}
	var best []float64
	bestEI := math.Inf(-1)
	for k := 0; k < 2000; k++ {
		u := make([]float64, len(b.Dims))
		for j := range u {
			if k < 200 {
				u[j] = b.xs[bestAt][j] + 0.05*b.rng.NormFloat64()
			} else {
				u[j] = b.rng.Float64()
			}
		}
		u = b.units(b.values(u))
		ei := g.expectedImprovement(u)
		switch {
		case c != nil && !b.hasBest: // nothing met the SLAs yet: look where they may hold
			ei = c.chanceBelow(u, 0)
		case c != nil:
			ei *= c.chanceBelow(u, 0)
		}
		if ei > bestEI {
			best, bestEI = u, ei
		}
	}
	return best
}

func (b *Bayes) values(u []float64) []float64 {
	out := make([]float64, len(u))
	for j, d := range b.Dims {
		out[j] = d.at(u[j])
	}
	return out
}

func (b *Bayes) units(values []float64) []float64 {
	out := make([]float64, len(values))
	for j, d := range b.Dims {
		out[j] = d.unit(values[j])
	}
	return out
}

// loss is an objective as the model minimises it.
func (b *Bayes) loss(obj float64) float64 {
	if b.Maximize {
		return -obj
	}
	return obj
}

// Tell takes the outcome of the setting Next gave: its objective (NaN when
// no run gave one) and how far it broke the SLAs (SLAFilter.violation's
// largest: at most 0 when it met them all). A setting without an objective
// is told a penalty, as AIPerf's planner tells a failed iteration: the
// worst loss seen plus a tenth of it (at least 1), or 1e6 before any.
func (b *Bayes) Tell(values []float64, obj, violation float64) {
	feasible := violation <= 0
	loss := math.NaN()
	if !math.IsNaN(obj) {
		loss = b.loss(obj)
		b.real = append(b.real, loss)
	}
	told := loss
	if math.IsNaN(loss) {
		told = 1e6
		if len(b.real) > 0 {
			worst := b.real[0]
			for _, l := range b.real {
				worst = math.Max(worst, l)
			}
			told = worst + math.Max(math.Abs(worst)*0.1, 1)
		}
	}
	b.xs, b.losses, b.objs = append(b.xs, b.units(values)), append(b.losses, told), append(b.objs, obj)
	b.violation = append(b.violation, violation)
	if !math.IsNaN(loss) && feasible && (!b.hasBest || loss < b.bestLoss) {
		b.bestLoss, b.hasBest, b.sinceBest = loss, true, 0
	} else {
		b.sinceBest++
	}
	switch {
	case len(b.xs) >= b.MaxIterations:
		b.Reason = "max_iterations"
	case b.sinceBest >= b.Patience:
		b.Reason = "improvement_patience"
	case b.plateau():
		b.Reason = "plateau_cv"
	}
}

// plateau: the last PlateauWindow objectives all exist and their sample
// coefficient of variation is under PlateauThreshold; never when their
// mean is about 0 (a CV has no scale there).
func (b *Bayes) plateau() bool {
	w := b.PlateauWindow
	if len(b.objs) < w || w < 2 {
		return false
	}
	recent := b.objs[len(b.objs)-w:]
	mean := 0.0
	for _, v := range recent {
		if math.IsNaN(v) {
			return false
		}
		mean += v / float64(w)
	}
	if math.Abs(mean) < 1e-9 {
		return false
	}
	ss := 0.0
	for _, v := range recent {
		ss += (v - mean) * (v - mean)
	}
	return math.Sqrt(ss/float64(w-1))/math.Abs(mean) < b.PlateauThreshold
}

var primes = []int{2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37}

// halton is the i-th point (from 1) of the van der Corput sequence in base.
func halton(i, base int) float64 {
	f, r := 1.0, 0.0
	for ; i > 0; i /= base {
		f /= float64(base)
		r += f * float64(i%base)
	}
	return r
}
