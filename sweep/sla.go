package sweep

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The statistics and comparisons AIPerf's --search-sla takes
// (aiperf/orchestrator/search_planner/parsing.py).
var (
	slaStats = []string{"avg", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "min", "max"}
	slaOps   = map[string]string{"lt": "<", "le": "<=", "gt": ">", "ge": ">="}
)

// ParseSLA reads one --search-sla value, "metric_tag:stat:op:threshold"
// (time_to_first_token:p95:lt:200), strictly as AIPerf does: four parts,
// no spaces trimmed, a known stat and op, a number.
func ParseSLA(v string) (SLAFilter, error) {
	parts := strings.Split(v, ":")
	if len(parts) != 4 {
		return SLAFilter{}, fmt.Errorf("%q: expected 4 colon-separated parts 'metric_tag:stat:op:threshold', got %d (e.g. time_to_first_token:p95:lt:200)", v, len(parts))
	}
	f := SLAFilter{Metric: parts[0], Stat: parts[1], Op: parts[2]}
	var err error
	f.Threshold, err = strconv.ParseFloat(parts[3], 64)
	switch {
	case f.Metric == "":
		return SLAFilter{}, fmt.Errorf("%q: the metric tag is empty", v)
	case !slices.Contains(slaStats, f.Stat):
		return SLAFilter{}, fmt.Errorf("%q: unknown stat %q; expected one of %s", v, f.Stat, strings.Join(slaStats, ", "))
	case slaOps[f.Op] == "":
		return SLAFilter{}, fmt.Errorf("%q: unknown op %q; expected lt, le, gt or ge", v, f.Op)
	case err != nil || math.IsNaN(f.Threshold) || math.IsInf(f.Threshold, 0):
		return SLAFilter{}, fmt.Errorf("%q: threshold %q is not a number", v, parts[3])
	}
	return f, nil
}

func (f SLAFilter) op() string {
	if f.Op == "" {
		return "lt"
	}
	return f.Op
}

func (f SLAFilter) String() string {
	return fmt.Sprintf("%s %s %s %g", f.Metric, f.Stat, slaOps[f.op()], f.Threshold)
}

// key is the figure the SLA reads: time_to_first_token_p95.
func (f SLAFilter) key() string { return f.Metric + "_" + f.Stat }

// holds compares a figure with the threshold.
func (f SLAFilter) holds(v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return false
	}
	switch f.op() {
	case "le":
		return v <= f.Threshold
	case "gt":
		return v > f.Threshold
	case "ge":
		return v >= f.Threshold
	}
	return v < f.Threshold
}

// margin is how far v is from breaking the SLA, negative while it holds:
// v − threshold for lt and le, threshold − v for gt and ge (AIPerf's
// signed margins of the smooth_isotonic search).
func (f SLAFilter) margin(v float64) float64 {
	if f.op() == "gt" || f.op() == "ge" {
		return f.Threshold - v
	}
	return v - f.Threshold
}

// met tells whether a setting's figures meet the SLA; a figure the runs do
// not have fails it, as AIPerf's.
func (f SLAFilter) met(st map[string]Stat) bool {
	v, ok := st[f.key()]
	return ok && f.holds(v.Mean)
}

// Figures AIPerf derives from a run's counts (its RequestErrorRateMetric
// and GoodRequestFractionMetric), which the SLAs may name. Ours are derived
// here, from the counts each run's JSON export holds.
const (
	ErrorRateFigure    = "request_error_rate_avg"    // errors ÷ (successes + errors), in percent
	GoodFractionFigure = "good_request_fraction_avg" // good ÷ (successes + errors), 0..1
)

// derive adds the figures AIPerf derives from a run's counts when the
// export lacks them: request_error_rate (percent of finished requests that
// failed; none when nothing finished) and, with --goodput,
// good_request_fraction (good requests over every finished one, 0 when
// none finished).
func derive(exp map[string]Value) {
	ok, errs := exp["request_count_avg"].V, exp["error_request_count_avg"].V
	if _, have := exp[ErrorRateFigure]; !have && ok+errs > 0 {
		exp[ErrorRateFigure] = Value{V: 100 * errs / (ok + errs), Unit: "%"}
	}
	good, hasGood := exp["good_request_count_avg"]
	if _, have := exp[GoodFractionFigure]; !have && hasGood {
		frac := 0.0
		if ok+errs > 0 {
			frac = good.V / (ok + errs)
		}
		exp[GoodFractionFigure] = Value{V: frac, Unit: "ratio"}
	}
}

// IsStat tells whether stat is one an SLA or a degradation check may read.
func IsStat(stat string) bool { return slices.Contains(slaStats, stat) }
