package sweep

import (
	"maps"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// SmoothIsotonic is AIPerf's smooth_isotonic SLA search, the default style
// of max-concurrency-under-sla (orchestrator/search_planner/smooth_isotonic.py
// and _smooth_isotonic_phases.py), over concurrency:
//
//  1. bracket: double from Lo (capped at Hi) until a value breaks an SLA;
//  2. fit: probe 3 evenly spaced values inside [FeasibleMax, InfeasibleMin],
//     fit each SLA's signed margins (negative: met) with PAVA + PCHIP and
//     probe the binding SLA's root, rounded; more probes (at 1/8 and 5/8 of
//     the bracket, up to 3 fits) while the fit has fewer than 3 levels;
//  3. cliff guard: a last point far off the fit while the bracket is wide
//     is a cliff, bisected instead of fitted;
//
// until the bracket is 1 apart or narrower than Precision of its top.
// Every value is probed once; a verdict that contradicts the bracket is
// flagged (NonMonotonic) and leaves it as it is.
type SmoothIsotonic struct {
	Lo, Hi    int
	MaxProbes int     // AIPerf's max_iterations: 20
	Precision float64 // AIPerf's SLA_PRECISION_DEFAULT: 0.05

	// FeasibleMax is the highest value found to meet the SLAs, InfeasibleMin
	// the lowest found to break them; 0 while none is.
	FeasibleMax, InfeasibleMin int
	// Reason is why the search stopped, in AIPerf's words; "" while it goes on.
	Reason string
	// BoundaryType is "smooth" or "cliff" once a fit has judged the curve.
	BoundaryType string
	// Binding is the index of the SLA whose margin defines the boundary; -1
	// before the first fit.
	Binding int
	// NonMonotonic is set once a verdict contradicted the bracket.
	NonMonotonic bool

	thresholds []float64
	raw        map[int][][]float64 // each probed value's margins, probe by probe
	phase      string              // "bracket", "fit" or "cliff_bisect"
	next       int
	pending    bool
	queue      []int
	fits       int
	probes     int
}

// Fit-step constants of AIPerf's planner.
const (
	fitInternalProbes = 3 // probes inside the first bracket
	fitMinDistinct    = 3 // fewer PAVA levels than this: refit with more probes
	maxRefits         = 3
)

// NewSmoothIsotonic is a search over [lo, hi] (lo ≥ 1) for the SLAs with
// these thresholds, with AIPerf's defaults.
func NewSmoothIsotonic(lo, hi int, thresholds []float64) *SmoothIsotonic {
	return &SmoothIsotonic{Lo: lo, Hi: hi, MaxProbes: 20, Precision: 0.05, Binding: -1, thresholds: thresholds,
		raw: map[int][][]float64{}, phase: "bracket", next: lo}
}

// Next is the value to probe next; false once the search has stopped.
func (s *SmoothIsotonic) Next() (int, bool) {
	if s.Reason == "" && s.probes >= s.MaxProbes {
		s.Reason = "max_iterations"
	}
	if s.Reason != "" {
		return s.next, false
	}
	if !s.pending && len(s.queue) > 0 {
		s.next, s.queue = s.queue[0], s.queue[1:]
	}
	s.pending = true
	return s.next, true
}

// Tell takes the outcome of probing v (the value Next gave): whether it met
// every SLA and each SLA's signed margin (figure − threshold for lt and le,
// threshold − figure for gt and ge; NaN when the run had no figure).
func (s *SmoothIsotonic) Tell(v int, met bool, margins []float64) {
	s.probes++
	s.pending = false
	s.raw[v] = append(s.raw[v], margins)
	s.absorb(v, met)
	switch s.phase {
	case "bracket":
		s.bracket(v, met)
	case "fit":
		s.fitStep()
	default:
		s.cliffStep()
	}
}

// Outcome is the bracket found and why the search stopped.
func (s *SmoothIsotonic) Outcome() (feasibleMax, infeasibleMin int, reason string) {
	return s.FeasibleMax, s.InfeasibleMin, s.Reason
}

// Style names the search in its summary.
func (s *SmoothIsotonic) Style() string { return "smooth_isotonic" }

func (s *SmoothIsotonic) Range() (lo, hi, maxProbes int) { return s.Lo, s.Hi, s.MaxProbes }

// absorb moves the bracket, unless the verdict contradicts it.
func (s *SmoothIsotonic) absorb(v int, met bool) {
	switch {
	case met && s.InfeasibleMin > 0 && v >= s.InfeasibleMin, !met && s.FeasibleMax > 0 && v <= s.FeasibleMax:
		s.NonMonotonic = true
	case met && v > s.FeasibleMax:
		s.FeasibleMax = v
	case !met && (s.InfeasibleMin == 0 || v < s.InfeasibleMin):
		s.InfeasibleMin = v
	}
}

func (s *SmoothIsotonic) bracket(v int, met bool) {
	switch {
	case !met && s.FeasibleMax == 0:
		s.Reason = "smooth_isotonic_no_pass_in_range"
	case !met:
		s.phase = "fit"
		s.queueInside(fitInternalProbes)
		if len(s.queue) == 0 { // the bracket is one apart: nothing inside to probe
			s.fitStep()
		}
	case v >= s.Hi:
		s.FeasibleMax, s.Reason = s.Hi, "smooth_isotonic_no_failure_in_range"
	default:
		s.next = min(2*v, s.Hi)
	}
}

// queueInside queues count evenly spaced values strictly inside the bracket.
func (s *SmoothIsotonic) queueInside(count int) {
	for k := 1; k <= count; k++ {
		s.queueAt(float64(k) / float64(count+1))
	}
}

// queueAt queues the unprobed value frac of the way up the bracket, kept
// strictly inside it; nothing when the bracket is one apart.
func (s *SmoothIsotonic) queueAt(frac float64) {
	gap := s.InfeasibleMin - s.FeasibleMax
	if gap <= 1 {
		return
	}
	x := s.FeasibleMax + max(1, int(math.RoundToEven(float64(gap)*frac))) // Python's round
	x = max(min(x, s.InfeasibleMin-1), s.FeasibleMax+1)
	if _, probed := s.raw[x]; !probed && !slices.Contains(s.queue, x) {
		s.queue = append(s.queue, x)
	}
}

// fitStep fits once the queued probes are done and picks the next probe.
func (s *SmoothIsotonic) fitStep() {
	if len(s.queue) > 0 {
		return
	}
	s.fits++
	c, ok := s.solve()
	if !ok {
		if c, ok = s.midpoint(); !ok {
			s.finish("smooth_isotonic_pchip_fallback_bisection")
			return
		}
	}
	if s.needsMoreData() && s.fits < maxRefits {
		s.queueAt(0.125)
		s.queueAt(0.625)
		if len(s.queue) > 0 {
			return
		}
	}
	s.judge(c) // (no refit probe left unprobed: judge what there is)
}

// judge checks the candidate for a cliff and the bracket for precision,
// then probes the candidate or stops. (AIPerf's replicate phase runs only
// with --sla-replicates, which we do not have, or with two probes at the
// highest value, which this search never makes.)
func (s *SmoothIsotonic) judge(c int) {
	s.BoundaryType = "smooth"
	if s.cliff() {
		s.BoundaryType = "cliff"
		s.phase = "cliff_bisect"
		s.cliffStep()
		return
	}
	if _, probed := s.raw[c]; s.precise() || probed {
		s.finish("smooth_isotonic_precision_reached")
		return
	}
	s.queue = append(s.queue, c)
	s.phase = "fit"
}

// cliffStep bisects the bracket once the queued probe is done.
func (s *SmoothIsotonic) cliffStep() {
	if len(s.queue) > 0 {
		return
	}
	mid, ok := s.midpoint()
	if s.precise() || !ok {
		s.finish("smooth_isotonic_cliff_precision_reached")
		return
	}
	s.queue = append(s.queue, mid)
}

// midpoint is the middle of the bracket, rounded down; false when it is
// one apart.
func (s *SmoothIsotonic) midpoint() (int, bool) {
	gap := s.InfeasibleMin - s.FeasibleMax
	if s.FeasibleMax == 0 || s.InfeasibleMin == 0 || gap <= 1 {
		return 0, false
	}
	return s.FeasibleMax + gap/2, true
}

// precise: the bracket is one apart or narrower than Precision of its top.
func (s *SmoothIsotonic) precise() bool {
	if s.FeasibleMax == 0 || s.InfeasibleMin == 0 {
		return false
	}
	gap := s.InfeasibleMin - s.FeasibleMax
	return gap <= 1 || float64(gap)/float64(s.InfeasibleMin) < s.Precision
}

func (s *SmoothIsotonic) finish(reason string) {
	if s.Reason == "" {
		s.Reason = reason
	}
	if s.BoundaryType == "" {
		s.BoundaryType = "smooth"
	}
}

// series is each probed value, rising, with its mean margin on SLA i;
// values without one are left out.
func (s *SmoothIsotonic) series(i int) (xs, ys []float64) {
	vs := make([]int, 0, len(s.raw))
	for v := range s.raw {
		vs = append(vs, v)
	}
	slices.Sort(vs)
	for _, v := range vs {
		var sum float64
		n := 0
		for _, m := range s.raw[v] {
			if i < len(m) && !math.IsNaN(m[i]) {
				sum += m[i]
				n++
			}
		}
		if n > 0 {
			xs, ys = append(xs, float64(v)), append(ys, sum/float64(n))
		}
	}
	return xs, ys
}

// solve fits every SLA, picks the binding one and returns its root, rounded
// and kept strictly inside the bracket.
func (s *SmoothIsotonic) solve() (int, bool) {
	if len(s.raw) < 2 || s.FeasibleMax == 0 || s.InfeasibleMin == 0 {
		return 0, false
	}
	margins, sigmas := make([]float64, len(s.thresholds)), make([]float64, len(s.thresholds))
	complete := make([]bool, len(s.thresholds))
	top := slices.Max(slices.Collect(maps.Keys(s.raw)))
	for i := range s.thresholds {
		xs, ys := s.series(i)
		if len(xs) < len(s.raw) {
			continue // AIPerf: no curve, margin and σ 0
		}
		complete[i], margins[i] = true, ys[len(ys)-1]
		var at []float64
		for _, m := range s.raw[top] {
			if i < len(m) && !math.IsNaN(m[i]) {
				at = append(at, m[i])
			}
		}
		if len(at) >= 2 {
			sigmas[i] = stat.StdDev(at, nil)
		}
	}
	s.Binding = binding(margins, sigmas, s.thresholds)
	if !complete[s.Binding] {
		return 0, false
	}
	root, ok := smoothIsotonicFit(s.series(s.Binding)).root(float64(s.FeasibleMax), float64(s.InfeasibleMin))
	if !ok {
		return 0, false
	}
	c := int(math.RoundToEven(root))
	c = max(c, s.FeasibleMax+1)
	return min(c, s.InfeasibleMin-1), true
}

// binding is the SLA closest to breaking at the highest probe: the largest
// margin in units of its σ there when any σ is known, else of its threshold.
// (AIPerf's _margin_normalize.normalize_margins is not in its published
// source we could read; this is our reading of "σ-normalised".)
func binding(margins, sigmas, thresholds []float64) int {
	useSigma := slices.ContainsFunc(sigmas, func(v float64) bool { return v > 0 })
	best, bestScore := 0, math.Inf(-1)
	for i, m := range margins {
		scale := math.Abs(thresholds[i])
		if useSigma {
			scale = sigmas[i]
		}
		score := m
		if scale > 0 {
			score = m / scale
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	return best
}

// bindingSeries is the binding SLA's series; false before the first fit.
func (s *SmoothIsotonic) bindingSeries() (xs, ys []float64, ok bool) {
	if s.Binding < 0 {
		return nil, nil, false
	}
	xs, ys = s.series(s.Binding)
	return xs, ys, true
}

// needsMoreData: the binding SLA has fewer than 4 points, or PAVA leaves
// them fewer than 3 distinct levels.
func (s *SmoothIsotonic) needsMoreData() bool {
	_, ys, ok := s.bindingSeries()
	if !ok || len(ys) < 4 {
		return ok
	}
	levels := map[float64]bool{}
	for _, y := range isotonic(ys) {
		levels[math.Round(y*1e9)/1e9] = true
	}
	return len(levels) < fitMinDistinct
}

// cliff runs the cliff guard on the binding SLA's points.
func (s *SmoothIsotonic) cliff() bool {
	xs, ys, ok := s.bindingSeries()
	return ok && detectCliff(xs, ys, smoothIsotonicFit(xs, ys), s.FeasibleMax, s.InfeasibleMin, s.Hi, s.Precision)
}
