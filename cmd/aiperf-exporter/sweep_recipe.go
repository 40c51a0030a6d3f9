package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	prof "github.com/aiperf-exporter/aiperf-exporter/profile"
	"github.com/aiperf-exporter/aiperf-exporter/sweep"
)

// The settings AIPerf's recipes sweep, with its config paths' order.
var (
	islParam  = sweep.Param{Name: "isl", Whole: true}
	oslParam  = sweep.Param{Name: "osl", Whole: true}
	concParam = sweep.Param{Name: "concurrency", Whole: true}
)

// recipeInputs are the flags only a search recipe reads.
var recipeInputs = []string{"ttft-sla-ms", "itl-sla-ms", "tpot-sla-ms", "e2e-sla-ms", "search-style",
	"degradation-threshold", "degradation-metric-tag", "degradation-stat", "isl-osl-pairs",
	"isl-min", "isl-max", "isl-steps", "osl-min", "osl-max", "osl-steps",
	"concurrency-min", "concurrency-max", "concurrency-steps", "error-rate-sla", "slo-attainment-fraction"}

// recipe is a search recipe expanded into its sweep.
type recipe struct {
	params  []sweep.Param
	combos  []sweep.Combo
	sla     []sweep.SLAFilter
	degrade *sweep.Degradation
	search  sweep.Searcher // monotonic or smooth_isotonic
	// adaptive is a Bayesian search (max-goodput-under-slo,
	// max-concurrency-under-sla --search-style bo or optuna, --search-space).
	adaptive *sweep.Adaptive
}

// expandRecipe builds the sweep of --search-recipe as AIPerf's grid recipes
// do: log-spaced value lists (LogSpaceInts) with its defaults, or
// pareto-sweep's shapes crossed with --concurrency. nil without a recipe.
func expandRecipe(s prof.Settings, sw *options.Sweep) (*recipe, error) {
	p := s.Profile
	if p.SearchRecipe == "" {
		return nil, options.RefuseWithout(s.Set, "needs --search-recipe (a recipe's input: alone it would do nothing)", recipeInputs...)
	}
	if sw != nil && (p.SearchRecipe != "pareto-sweep" || len(sw.Lists) > 1 || sw.Lists[0].Name != "concurrency") {
		return nil, &options.Error{Flag: "search-recipe", Msg: "builds its own sweep: give no lists beside it (pareto-sweep takes a --concurrency list)"}
	}
	n := numbers{set: s.Set}
	ramp := func(name, lo, hi, steps string, dlo, dhi, dsteps int) []float64 {
		low, high, count := n.int(lo, p, dlo), n.int(hi, p, dhi), int(n.int(steps, p, dsteps))
		if n.err != nil {
			return nil // a refused number is never used
		}
		values, err := sweep.LogSpaceInts(low, high, count)
		if err != nil {
			n.err = &options.Error{Flag: steps, Msg: fmt.Sprintf("%s: %v", name, err)}
		}
		return values
	}
	r := &recipe{}
	switch p.SearchRecipe {
	case "concurrency-ramp":
		r.params = []sweep.Param{withValues(concParam, ramp("concurrency", "concurrency-min", "concurrency-max", "concurrency-steps", 1, 1000, 8))}
		if !s.Set["degradation-threshold"] && (s.Set["degradation-metric-tag"] || s.Set["degradation-stat"]) {
			return nil, &options.Error{Flag: "degradation-threshold", Msg: "needed with --degradation-metric-tag or --degradation-stat"}
		}
		if s.Set["degradation-threshold"] {
			d := &sweep.Degradation{Metric: "request_latency", Stat: "p99", Threshold: n.fraction("degradation-threshold", p.DegradationThreshold)}
			if p.DegradationMetricTag != "" {
				if !knownMetric(p.DegradationMetricTag) {
					return nil, &options.Error{Flag: "degradation-metric-tag", Msg: fmt.Sprintf("%s is not a metric tag (e.g. request_latency)", clip.Quote(p.DegradationMetricTag))}
				}
				d.Metric = p.DegradationMetricTag
			}
			if p.DegradationStat != "" {
				if !sweep.IsStat(p.DegradationStat) {
					return nil, &options.Error{Flag: "degradation-stat", Msg: fmt.Sprintf("%s is not a stat (avg, p50, p99, min, max, ...)", clip.Quote(p.DegradationStat))}
				}
				d.Stat = p.DegradationStat
			}
			r.degrade = d
		}
	case "prefill-ttft-curve":
		r.params = []sweep.Param{withValues(islParam, ramp("isl", "isl-min", "isl-max", "isl-steps", 256, 32768, 8)), withValues(concParam, []float64{1})}
	case "decode-itl-curve":
		r.params = []sweep.Param{withValues(oslParam, ramp("osl", "osl-min", "osl-max", "osl-steps", 64, 1024, 4)),
			withValues(concParam, ramp("concurrency", "concurrency-min", "concurrency-max", "concurrency-steps", 1, 200, 6))}
	case "max-concurrency-under-sla":
		r.sla = n.slas(p)
		if len(r.sla) == 0 && len(p.SearchSLATier) == 0 && n.err == nil {
			n.err = &options.Error{Flag: "search-recipe", Msg: "max-concurrency-under-sla needs one of --ttft-sla-ms, --tpot-sla-ms, --itl-sla-ms, --e2e-sla-ms, --error-rate-sla, --search-sla"}
		}
		switch style := p.SearchStyle; style {
		case "grid":
			r.params = []sweep.Param{withValues(concParam, ramp("concurrency", "concurrency-min", "concurrency-max", "concurrency-steps", 1, 1000, 8))}
		case "monotonic", "", "smooth_isotonic": // "" is AIPerf's default, smooth_isotonic
			lo, hi := n.int("concurrency-min", p, 1), n.int("concurrency-max", p, 1000)
			if hi <= lo && n.err == nil {
				n.err = &options.Error{Flag: "concurrency-max", Msg: fmt.Sprintf("%g must be above --concurrency-min %g", hi, lo)}
			}
			name, why := "smooth_isotonic", ""
			r.params, r.search = []sweep.Param{concParam}, sweep.NewSmoothIsotonic(int(lo), int(hi), thresholds(r.sla))
			if style == "monotonic" {
				name, why = style, " (it probes a value until two runs agree)"
				r.search = sweep.NewMonotonic(int(lo), int(hi))
			}
			if p.NumProfileRuns > 1 && len(p.SearchSLATier) == 0 { // a multi-tier search in its place judges every run
				return nil, &options.Error{Flag: "num-profile-runs", Msg: "one run per probe with --search-style " + name + why}
			}
			return r, n.err
		case "bo", "optuna": // AIPerf's penalty BO: the most output token throughput meeting the SLAs
			if n.err != nil {
				return nil, n.err
			}
			a, err := concurrencyBayes(s, n, "output_token_throughput")
			if err != nil {
				return nil, err
			}
			a.Planner = map[string]string{"bo": "bayesian", "optuna": "optuna"}[style]
			r.params, r.adaptive = []sweep.Param{concParam}, a
			return r, nil
		default:
			return nil, &options.Error{Flag: "search-style", Msg: "not yet supported: " + style + "; --search-style grid, monotonic, smooth_isotonic, bo and optuna are built"}
		}
	case "max-goodput-under-slo":
		return goodputRecipe(s, n)
	case "pareto-sweep":
		if !s.Options.Streaming {
			return nil, &options.Error{Flag: "search-recipe", Msg: "pareto-sweep needs --streaming (its Pareto axis is output token throughput)"}
		}
		pairs, err := parsePairs(p.ISLOSLPairs)
		if err != nil {
			return nil, err
		}
		conc := []float64{float64(max(s.Options.Concurrency, 1))}
		if sw != nil {
			conc = sw.Lists[0].Values
		}
		r.params = []sweep.Param{islParam, oslParam, withValues(concParam, conc)}
		for _, pair := range pairs {
			r.params[0].Values = append(r.params[0].Values, pair[0])
			r.params[1].Values = append(r.params[1].Values, pair[1])
			for _, c := range conc {
				r.combos = append(r.combos, sweep.Combo{pair[0], pair[1], c})
			}
		}
		return r, nil
	default:
		return nil, &options.Error{Flag: "search-recipe", Msg: fmt.Sprintf("not yet supported: %s (built: concurrency-ramp, prefill-ttft-curve, decode-itl-curve, pareto-sweep, max-concurrency-under-sla with --search-style smooth_isotonic, grid, monotonic, bo or optuna, max-goodput-under-slo)", clip.Quote(p.SearchRecipe))}
	}
	if n.err != nil {
		return nil, n.err
	}
	r.combos = sweep.Grid(r.params)
	return r, nil
}

func withValues(p sweep.Param, values []float64) sweep.Param {
	p.Values = values
	return p
}

// numbers reads the recipe's number flags (strings, so an unset one is told
// from a given 0), keeping the first error.
type numbers struct {
	set map[string]bool
	err error
}

// int is the whole number of at least 1 given to flag, or def when unset.
func (n *numbers) int(flag string, p options.Profile, def int) float64 {
	v := map[string]string{"isl-min": p.ISLMin, "isl-max": p.ISLMax, "isl-steps": p.ISLSteps,
		"osl-min": p.OSLMin, "osl-max": p.OSLMax, "osl-steps": p.OSLSteps,
		"concurrency-min": p.ConcurrencyMin, "concurrency-max": p.ConcurrencyMax, "concurrency-steps": p.ConcurrencySteps}[flag]
	if !n.set[flag] {
		return float64(def)
	}
	// A step is a whole profile run, so 1000 steps is already more than a
	// sweep can run; the bounds as parseSweep's lists have theirs (1e9).
	most := 1_000_000_000
	if strings.HasSuffix(flag, "-steps") {
		most = 1000
	}
	x, err := strconv.Atoi(strings.TrimSpace(v))
	switch {
	case n.err != nil:
	case err != nil || x < 1:
		n.err = &options.Error{Flag: flag, Msg: fmt.Sprintf("%s is not a whole number of at least 1", clip.Quote(v))}
	case x > most:
		n.err = &options.Error{Flag: flag, Msg: fmt.Sprintf("%s is more than %d", clip.Quote(v), most)}
	}
	return float64(x)
}

// positive is the number above 0 given to flag.
func (n *numbers) positive(flag, v string) float64 {
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if (err != nil || !(x > 0) || x > 1e12) && n.err == nil {
		n.err = &options.Error{Flag: flag, Msg: fmt.Sprintf("%s must be a number above 0", clip.Quote(v))}
	}
	return x
}

// fraction is the number between 0 and 1 (both excluded) given to flag.
func (n *numbers) fraction(flag, v string) float64 {
	x := n.positive(flag, v)
	if x >= 1 && n.err == nil {
		n.err = &options.Error{Flag: flag, Msg: fmt.Sprintf("%s must be between 0 and 1", clip.Quote(v))}
	}
	return x
}

// slas are max-concurrency-under-sla's SLAs, in AIPerf's order: TTFT p95,
// inter-token latency p95 (--tpot-sla-ms, else --itl-sla-ms), request
// latency p99, the request error rate (--error-rate-sla, a fraction, in the
// metric's percent), then the --search-sla filters as given.
func (n *numbers) slas(p options.Profile) []sweep.SLAFilter {
	var out []sweep.SLAFilter
	if n.set["ttft-sla-ms"] {
		out = append(out, sweep.SLAFilter{Metric: "time_to_first_token", Stat: "p95", Threshold: n.positive("ttft-sla-ms", p.TTFTSLA)})
	}
	switch {
	case n.set["tpot-sla-ms"]:
		out = append(out, sweep.SLAFilter{Metric: "inter_token_latency", Stat: "p95", Threshold: n.positive("tpot-sla-ms", p.TPOTSLA)})
	case n.set["itl-sla-ms"]:
		out = append(out, sweep.SLAFilter{Metric: "inter_token_latency", Stat: "p95", Threshold: n.positive("itl-sla-ms", p.ITLSLA)})
	}
	if n.set["e2e-sla-ms"] {
		out = append(out, sweep.SLAFilter{Metric: "request_latency", Stat: "p99", Threshold: n.positive("e2e-sla-ms", p.E2ESLA)})
	}
	if n.set["error-rate-sla"] {
		out = append(out, sweep.SLAFilter{Metric: "request_error_rate", Stat: "avg", Op: "lt", Threshold: 100 * n.fraction("error-rate-sla", p.ErrorRateSLA)})
	}
	extra, err := searchSLAs(p)
	if err != nil && n.err == nil {
		n.err = err
	}
	return append(out, extra...)
}

// parsePairs reads --isl-osl-pairs: comma separated isl/osl pairs of whole
// numbers of at least 1, spaces allowed.
func parsePairs(v string) ([][2]float64, error) {
	var out [][2]float64
	for _, tok := range strings.Split(v, ",") {
		if tok = strings.TrimSpace(tok); tok == "" {
			continue
		}
		a, b, ok := strings.Cut(tok, "/")
		isl, err1 := strconv.Atoi(strings.TrimSpace(a))
		osl, err2 := strconv.Atoi(strings.TrimSpace(b))
		if !ok || err1 != nil || err2 != nil || isl < 1 || osl < 1 {
			return nil, &options.Error{Flag: "isl-osl-pairs", Msg: fmt.Sprintf("%s is no isl/osl pair of whole numbers of at least 1", clip.Quote(tok))}
		}
		out = append(out, [2]float64{float64(isl), float64(osl)})
	}
	if len(out) == 0 {
		return nil, &options.Error{Flag: "isl-osl-pairs", Msg: "pareto-sweep needs isl/osl pairs, e.g. 128/128,512/256"}
	}
	return out, nil
}

// thresholds are the SLAs' thresholds, in their order.
func thresholds(slas []sweep.SLAFilter) []float64 {
	out := make([]float64, len(slas))
	for i, f := range slas {
		out[i] = f.Threshold
	}
	return out
}
