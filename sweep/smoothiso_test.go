package sweep

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// driveTTFT runs the search against a TTFT curve with one SLA, "TTFT < thr",
// as AIPerf's tests drive its planner (test_smooth_isotonic_planner.py);
// it returns the values probed.
func driveTTFT(s *SmoothIsotonic, ttft func(float64) float64, thr float64) []int {
	var probed []int
	for range 100 {
		v, ok := s.Next()
		if !ok {
			break
		}
		y := ttft(float64(v))
		s.Tell(v, y < thr, []float64{y - thr})
		probed = append(probed, v)
	}
	return probed
}

// AIPerf's planner tests, as test vectors.
func TestSmoothIsotonicAIPerfCases(t *testing.T) {
	linear := func(x float64) float64 { return 50 + 2*x } // crosses 200 at 75
	for _, c := range []struct {
		name     string
		lo, hi   int
		thr      float64
		maxIter  int
		ttft     func(float64) float64
		reason   string
		check    func(s *SmoothIsotonic) error
		minProbe int
	}{
		{name: "no pass in range", lo: 100, hi: 1000, thr: 50, maxIter: 30, ttft: func(float64) float64 { return 200 },
			reason: "smooth_isotonic_no_pass_in_range"},
		{name: "no failure in range", lo: 1, hi: 64, thr: 200, maxIter: 30, ttft: func(float64) float64 { return 50 },
			reason: "smooth_isotonic_no_failure_in_range", check: func(s *SmoothIsotonic) error {
				if s.FeasibleMax != 64 {
					return fmt.Errorf("feasible max %d", s.FeasibleMax)
				}
				return nil
			}},
		{name: "boundary on a smooth curve", lo: 1, hi: 1024, thr: 200, maxIter: 30, ttft: linear,
			reason: "smooth_isotonic_precision_reached", check: func(s *SmoothIsotonic) error {
				if s.FeasibleMax < 64 || s.FeasibleMax > 80 || s.InfeasibleMin-s.FeasibleMax > max(4, s.FeasibleMax/20) {
					return fmt.Errorf("bracket [%d, %d]", s.FeasibleMax, s.InfeasibleMin)
				}
				if s.BoundaryType != "smooth" || s.Binding != 0 {
					return fmt.Errorf("boundary %q binding %d", s.BoundaryType, s.Binding)
				}
				return nil
			}},
		{name: "a linear curve is no cliff", lo: 1, hi: 512, thr: 200, maxIter: 30, ttft: linear, reason: "smooth_isotonic_precision_reached",
			check: func(s *SmoothIsotonic) error {
				if s.BoundaryType == "cliff" {
					return fmt.Errorf("cliff")
				}
				return nil
			}},
		{name: "max iterations", lo: 1, hi: 4096, thr: 200, maxIter: 3, ttft: linear, reason: "max_iterations", minProbe: 3},
		{name: "history of a short budget", lo: 1, hi: 512, thr: 200, maxIter: 8, ttft: linear, reason: "max_iterations", minProbe: 8},
	} {
		s := NewSmoothIsotonic(c.lo, c.hi, []float64{c.thr})
		s.MaxProbes = c.maxIter
		probed := driveTTFT(s, c.ttft, c.thr)
		if s.Reason != c.reason || len(probed) < c.minProbe || len(probed) > c.maxIter {
			t.Errorf("%s: stopped %q after %v", c.name, s.Reason, probed)
		}
		if c.check != nil {
			if err := c.check(s); err != nil {
				t.Errorf("%s: %v (probed %v)", c.name, err, probed)
			}
		}
	}
}

// The probes on AIPerf's linear curve, worked by hand: doubling to 128,
// the first bracket's quarter points 80, 96, 112, then the PCHIP root
// (75, where the margin is exactly 0 and "< 200" fails), then 74 beside it.
func TestSmoothIsotonicProbes(t *testing.T) {
	s := NewSmoothIsotonic(1, 1024, []float64{200})
	got := fmt.Sprint(driveTTFT(s, func(x float64) float64 { return 50 + 2*x }, 200))
	if want := "[1 2 4 8 16 32 64 128 80 96 112 75 74]"; got != want {
		t.Errorf("probes %s, want %s", got, want)
	}
	if s.FeasibleMax != 74 || s.InfeasibleMin != 75 || s.Reason != "smooth_isotonic_precision_reached" {
		t.Errorf("bracket [%d, %d] %q", s.FeasibleMax, s.InfeasibleMin, s.Reason)
	}
}

// A step (TTFT jumps at 50): PAVA leaves two levels, so the search adds
// probes at 1/8 and 5/8 of the bracket for up to three fits, which narrows
// it to the step.
func TestSmoothIsotonicStep(t *testing.T) {
	s := NewSmoothIsotonic(1, 1000, []float64{200})
	probed := driveTTFT(s, func(x float64) float64 {
		if x < 50 {
			return 100
		}
		return 300
	}, 200)
	if s.FeasibleMax != 49 || s.InfeasibleMin != 50 || s.Reason != "smooth_isotonic_precision_reached" {
		t.Errorf("bracket [%d, %d] %q after %v", s.FeasibleMax, s.InfeasibleMin, s.Reason, probed)
	}
}

// A verdict that contradicts the bracket is flagged and leaves it as it is
// (AIPerf's test_non_monotonic_warning_threaded_per_iteration).
func TestSmoothIsotonicNonMonotonic(t *testing.T) {
	s := NewSmoothIsotonic(1, 1000, []float64{200})
	for s.InfeasibleMin == 0 {
		v, _ := s.Next()
		y := 100.0
		if v >= 50 {
			y = 300
		}
		s.Tell(v, y < 200, []float64{y - 200})
	}
	if s.NonMonotonic {
		t.Fatal("flagged before a contradiction")
	}
	fmax, imin := s.FeasibleMax, s.InfeasibleMin
	v, _ := s.Next()
	s.Tell(v, true, []float64{-150}) // v lies inside the bracket: it moves
	if v <= fmax || v >= imin || s.FeasibleMax != v || s.NonMonotonic {
		t.Fatalf("probe %d in [%d, %d]: feasible max %d, flagged %v", v, fmax, imin, s.FeasibleMax, s.NonMonotonic)
	}
	high := s.InfeasibleMin + 100
	s.Tell(high, true, []float64{-150}) // feasible above a failure
	if !s.NonMonotonic || s.FeasibleMax == high {
		t.Errorf("flagged %v, feasible max %d", s.NonMonotonic, s.FeasibleMax)
	}
}

// The binding SLA is the one closest to breaking at the highest probe, in
// units of its threshold.
func TestSmoothIsotonicBinding(t *testing.T) {
	for _, c := range []struct {
		margins, sigmas, thresholds []float64
		want                        int
	}{
		{[]float64{50, 5}, []float64{0, 0}, []float64{200, 10}, 1},   // 0.25 vs 0.5 of the threshold
		{[]float64{50, 5}, []float64{10, 10}, []float64{200, 10}, 0}, // in σ: 5 vs 0.5
		{[]float64{-1, -2}, []float64{0, 0}, []float64{0, 100}, 1},   // a zero threshold: the raw margin
	} {
		if got := binding(c.margins, c.sigmas, c.thresholds); got != c.want {
			t.Errorf("binding(%v, %v, %v) = %d, want %d", c.margins, c.sigmas, c.thresholds, got, c.want)
		}
	}
}

// A spike above the boundary pools every failing probe into one level far
// above the top probe's margin while the last three agree: the guard calls
// it a cliff, and the bracket [64, 80] is bisected (72, 68, 70) instead of
// fitted, until it is under 5 % of its top.
func TestSmoothIsotonicCliff(t *testing.T) {
	s := NewSmoothIsotonic(1, 200, []float64{200})
	probed := driveTTFT(s, func(x float64) float64 {
		switch {
		case x < 70:
			return 100 + x
		case x == 80:
			return 5000 // the spike
		}
		return 205 + float64(int(x)%3)/10
	}, 200)
	if s.BoundaryType != "cliff" || s.Reason != "smooth_isotonic_cliff_precision_reached" || fmt.Sprint(probed) != "[1 2 4 8 16 32 64 128 80 96 112 72 68 70]" ||
		s.FeasibleMax != 68 || s.InfeasibleMin != 70 {
		t.Errorf("%q %q [%d, %d] after %v", s.BoundaryType, s.Reason, s.FeasibleMax, s.InfeasibleMin, probed)
	}
}

// Through the sweep: each SLA's margin reaches the search with its sign
// (threshold − figure for gt), so the throughput SLA, which breaks first,
// binds and its root, 100, is probed next (not the TTFT's, 175); the
// bracket [96, 100] is then under 5 % of its top.
func TestSmoothIsotonicSearchRuns(t *testing.T) {
	base := t.TempDir()
	run := exportRun(func(c float64) map[string]any {
		return map[string]any{"time_to_first_token": map[string]any{"unit": "ms", "p95": 50 + 2*c},
			"request_throughput": map[string]any{"unit": "requests/sec", "avg": 300 - 2*c}}
	})
	slas := []SLAFilter{{"time_to_first_token", "p95", "lt", 400}, {"request_throughput", "avg", "gt", 100}}
	p := Plan{Base: base, Params: []Param{{Name: "concurrency", Whole: true}}, Trials: 1, SLA: slas,
		Search: NewSmoothIsotonic(1, 1000, []float64{400, 100})}
	var out bytes.Buffer
	if err := Execute(context.Background(), p, run, &out); err != nil {
		t.Fatal(err)
	}
	sum := testkit.ReadJSON[searchSummary](t, filepath.Join(base, SearchJSONFile))
	if sum.SearchStyle != "smooth_isotonic" || sum.FeasibleMax != 96 || sum.InfeasibleMin != 100 || sum.Probes[len(sum.Probes)-1].Concurrency != 100 || sum.BoundaryType != "smooth" ||
		sum.BindingConstraint != slas[1].String() || sum.ConvergenceReason != "smooth_isotonic_precision_reached" {
		t.Errorf("summary %+v", sum)
	}
	if !bytes.Contains(out.Bytes(), []byte("Smooth-isotonic SLA search")) || !bytes.Contains(out.Bytes(), []byte("highest concurrency meeting every SLA: 96")) {
		t.Errorf("output:\n%s", out.String())
	}
}

// No value is probed twice (each probe is a whole benchmark run): steps and
// boundaries one apart used to hand the last value back again.
func TestSmoothIsotonicNeverRepeatsAProbe(t *testing.T) {
	step := func(at float64) func(float64) float64 {
		return func(x float64) float64 {
			if x <= at {
				return 100
			}
			return 300
		}
	}
	for _, at := range []float64{1, 2, 9, 10, 12, 13, 100, 513} {
		s := NewSmoothIsotonic(1, 1000, []float64{200})
		probed := driveTTFT(s, step(at), 200)
		seen := map[int]bool{}
		for _, v := range probed {
			if seen[v] {
				t.Errorf("boundary at %g: %v probes %d twice", at, probed, v)
				break
			}
			seen[v] = true
		}
		// The bracket holds the boundary (within the 5 % precision).
		if fm, im, reason := s.Outcome(); fm > int(at) || im <= int(at) || reason == "" {
			t.Errorf("boundary at %g: %v bracketed [%d, %d] (%s)", at, probed, fm, im, reason)
		}
	}
}
