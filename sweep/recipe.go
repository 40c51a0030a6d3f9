package sweep

import (
	"fmt"
	"io"
	"math"
	"slices"
)

// LogSpaceInts is steps whole numbers spread evenly on a log scale from lo
// to hi, both included, rounded half to even (Python's round), duplicates
// dropped: the value lists of AIPerf's grid search recipes.
func LogSpaceInts(lo, hi float64, steps int) ([]float64, error) {
	switch {
	case steps < 2:
		return nil, fmt.Errorf("needs at least 2 steps, got %d", steps)
	case lo <= 0:
		return nil, fmt.Errorf("the lower bound must be above 0, got %g", lo)
	case hi <= lo:
		return nil, fmt.Errorf("the upper bound (%g) must be above the lower (%g)", hi, lo)
	}
	var out []float64
	for i := 0; i < steps; i++ {
		v := math.Exp(math.Log(lo) + (math.Log(hi)-math.Log(lo))*float64(i)/float64(steps-1))
		out = append(out, math.Max(1, math.RoundToEven(v)))
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// SLAFilter is one SLA of AIPerf's search recipes and --search-sla: a
// metric's statistic compared with a threshold (sla.go).
type SLAFilter struct {
	Metric    string  // time_to_first_token
	Stat      string  // p95
	Op        string  // lt, le, gt or ge; "" is lt, the recipes' SLAs
	Threshold float64 // in the metric's unit (ms)
}

// Degradation is the post-process of AIPerf's concurrency-ramp recipe: the
// first load whose metric's statistic exceeds the lowest load's by more
// than Threshold (0.20 = 20 %).
type Degradation struct {
	Metric, Stat string
	Threshold    float64
}

// postProcess says, after a recipe's sweep (in order of load), the highest
// setting meeting every SLA before the first that breaks one, and where
// latency degrades.
func (s *summary) postProcess(p Plan, w io.Writer) {
	if len(p.SLA) > 0 {
		breach, again := -1, false // the first setting breaking an SLA; one meeting them all after it
		for i, st := range s.stats {
			ok := true
			for _, f := range p.SLA {
				ok = ok && f.met(st)
			}
			switch {
			case !ok && breach < 0:
				breach = i
			case ok && breach >= 0:
				again = true
			}
		}
		fmt.Fprintf(w, "  SLAs: %v\n", p.SLA)
		switch breach {
		case -1:
			fmt.Fprintf(w, "  every setting met every SLA, up to %s\n", s.label(s.PerCombination[len(s.stats)-1].Parameters))
		case 0:
			fmt.Fprintf(w, "  the first setting, %s, already breaks an SLA\n", s.label(s.PerCombination[0].Parameters))
		default:
			fmt.Fprintf(w, "  highest setting meeting every SLA: %s; the next, %s, breaks one\n",
				s.label(s.PerCombination[breach-1].Parameters), s.label(s.PerCombination[breach].Parameters))
		}
		if again {
			fmt.Fprintln(w, "  a setting after the first breach meets every SLA again: the curve is not monotonic")
		}
	}
	if d := p.Degrade; d != nil && len(s.stats) > 0 {
		key := d.Metric + "_" + d.Stat
		base, ok := s.stats[0][key]
		if !ok {
			fmt.Fprintf(w, "  degradation: the runs have no %s\n", key)
			return
		}
		for i, st := range s.stats[1:] {
			if v, ok := st[key]; ok && v.Mean > base.Mean*(1+d.Threshold) {
				fmt.Fprintf(w, "  degradation: %s above %s's %.2f %s by more than %g%% first at %s (%.2f)\n", key,
					s.label(s.PerCombination[0].Parameters), base.Mean, base.Unit, d.Threshold*100, s.label(s.PerCombination[i+1].Parameters), v.Mean)
				return
			}
		}
		fmt.Fprintf(w, "  degradation: %s stays within %g%% of %s's %.2f %s\n", key, d.Threshold*100, s.label(s.PerCombination[0].Parameters), base.Mean, base.Unit)
	}
}
