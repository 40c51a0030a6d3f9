package sweep

import (
	"fmt"
	"math"
)

// Convergence is AIPerf's adaptive stop of repeated runs
// (--convergence-metric): once a setting has run convergeMinRuns times, its
// trials stop as soon as the metric's statistic across them is stable.
type Convergence struct {
	Metric    string  // a metric tag: time_to_first_token
	Stat      string  // avg, p50, p90, p95, p99, min, max
	Mode      string  // ci_width or cv
	Threshold float64 // 0: the mode's default
	Level     float64 // --confidence-level, for ci_width
}

// convergeMinRuns is how many runs AIPerf makes before it asks whether a
// metric converged.
const convergeMinRuns = 3

// DefaultThreshold is the threshold of a mode when none is given, as AIPerf's.
func DefaultThreshold(mode string) float64 {
	if mode == "cv" {
		return 0.05
	}
	return 0.10
}

// Converged tells whether the runs so far agree closely enough on the
// metric, and says why in a few words. AIPerf's rules: at least
// convergeMinRuns runs that have the figure and a mean other than 0; then
// ci_width: the Student t interval's width over the mean is below the
// threshold; cv: the sample std over the mean is.
func (c Convergence) Converged(runs []map[string]Value) (bool, string) {
	key := c.Metric + "_" + c.Stat
	var values []float64
	for _, r := range runs {
		if v, ok := r[key]; ok {
			values = append(values, v.V)
		}
	}
	if len(values) < convergeMinRuns {
		return false, ""
	}
	s := Confidence(values, c.Level, "")
	if s.Mean == 0 {
		return false, ""
	}
	threshold := c.Threshold
	if threshold == 0 {
		threshold = DefaultThreshold(c.Mode)
	}
	ratio := s.Std / s.Mean // AIPerf divides by the mean itself, not its magnitude
	if c.Mode != "cv" {
		ratio = (s.CIHigh - s.CILow) / s.Mean
	}
	if math.IsNaN(ratio) || ratio >= threshold {
		return false, ""
	}
	return true, fmt.Sprintf("%s: %s %.4g < %g after %d runs", key, c.Mode, ratio, threshold, len(values))
}
