package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	prof "github.com/aiperf-exporter/aiperf-exporter/profile"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/sweep"
)

// The flags that define an adaptive search, and those that only tune one
// (which a Bayesian recipe also takes), as AIPerf's search recipes split them.
var (
	searchDefining = []string{"search-space", "search-metric", "search-stat", "search-direction", "search-planner",
		"search-percentile-pooling", "optuna-sampler", "optuna-acquisition", "optuna-terminator"}
	searchTunable = []string{"search-max-iterations", "search-initial-points", "search-random-seed"}
)

// adaptiveSearch builds the adaptive search of --search-space as AIPerf's
// config does (aiperf/config/adaptive_search.py, search_planner/parsing.py);
// nil without --search-space. A search flag without it is refused.
func adaptiveSearch(s prof.Settings, sw *options.Sweep, slas []sweep.SLAFilter) (*recipe, error) {
	p := s.Profile
	if len(p.SearchSpace) == 0 {
		for _, f := range searchDefining {
			switch {
			case !s.Set[f]:
			case p.SearchRecipe != "":
				return nil, &options.Error{Flag: f, Msg: "not with --search-recipe: the recipe defines its search"}
			default:
				return nil, &options.Error{Flag: f, Msg: "needs --search-space (an adaptive search's input: alone it would do nothing)"}
			}
		}
		for _, f := range searchTunable {
			switch {
			case !s.Set[f] || bayesRecipe(p):
			case p.SearchRecipe != "":
				return nil, &options.Error{Flag: f, Msg: "tunes a Bayesian search: max-goodput-under-slo, or max-concurrency-under-sla with --search-style bo or optuna"}
			default:
				return nil, &options.Error{Flag: f, Msg: "needs --search-space (an adaptive search's input: alone it would do nothing)"}
			}
		}
		return nil, nil
	}
	bad := func(flag, msg string, args ...any) error {
		return &options.Error{Flag: flag, Msg: fmt.Sprintf(msg, args...)}
	}
	switch {
	case p.SearchRecipe != "":
		return nil, bad("search-space", "not with --search-recipe: the recipe builds its own search")
	case sw != nil:
		return nil, bad("search-space", "not with a list (--%s): the search picks the values", sw.Lists[0].Flag)
	case len(p.Variant) > 0:
		return nil, bad("search-space", "not with --variant")
	case p.ConvergenceMetric != "":
		return nil, bad("search-space", "not with --convergence-metric (AIPerf leaves the two undefined together)")
	}
	var dims []sweep.Dim
	for _, raw := range p.SearchSpace {
		d, err := parseDim(raw)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(dims, func(o sweep.Dim) bool { return o.Path == d.Path }) {
			return nil, bad("search-space", "%s: %s is given twice", clip.Quote(raw), d.Path)
		}
		dims = append(dims, d)
	}
	slices.SortFunc(dims, func(a, b sweep.Dim) int { return strings.Compare(a.Path, b.Path) }) // the order of a grid's settings
	switch {
	case p.SearchMetric == "":
		return nil, bad("search-metric", "an adaptive search needs the metric to optimise (e.g. output_token_throughput)")
	case p.SearchDirection != "maximize" && p.SearchDirection != "minimize":
		return nil, bad("search-direction", "must be maximize or minimize, got %s", clip.Quote(p.SearchDirection))
	case !s.Set["search-max-iterations"]:
		return nil, bad("search-max-iterations", "an adaptive search needs its budget, 2 to 200 iterations")
	}
	stat := p.SearchStat
	if stat == "" {
		stat = "avg"
	}
	if err := checkObjective("search-metric", p.SearchMetric, "search-stat", stat); err != nil {
		return nil, err
	}
	pooled := false
	switch p.SearchPercentilePooling {
	case "", "mean":
	case "pooled":
		switch {
		case s.Set["search-stat"] && stat == "avg": // as AIPerf: refused only when avg is asked for
			return nil, bad("search-percentile-pooling", "pooled needs --search-stat to be a percentile (p50/p90/p95/p99): pooling means is a no-op")
		case p.ExportLevel == "summary":
			return nil, bad("search-percentile-pooling", "pooled reads each run's records: not with --export-level summary")
		}
		pooled = true
	default:
		return nil, bad("search-percentile-pooling", "must be mean or pooled, got %s", clip.Quote(p.SearchPercentilePooling))
	}
	planner := p.SearchPlanner
	if planner == "" {
		planner = "bayesian"
	}
	if err := checkOptuna(s, planner); err != nil {
		return nil, err
	}
	r := &recipe{}
	for _, d := range dims {
		r.params = append(r.params, d.Param)
	}
	switch planner {
	case "bayesian", "optuna":
		a, err := newBayes(s, dims, p.SearchMetric, stat, p.SearchDirection == "maximize", 0, 5)
		if err != nil {
			return nil, err
		}
		a.Planner, a.Pooled = planner, pooled
		r.adaptive = a // the SLAs reach the plan with every sweep's (planSweep)
	case "monotonic_sla", "smooth_isotonic":
		probes, err := whole("search-max-iterations", p.SearchMaxIterations, 2, 200)
		switch {
		case err != nil:
			return nil, err
		case len(dims) != 1 || dims[0].Param.Name != "concurrency":
			return nil, bad("search-planner", "%s searches one dimension here: --search-space concurrency:LO,HI:int", planner)
		case dims[0].Lo < 1:
			return nil, bad("search-space", "%s doubles from lo: lo must be at least 1, got %g", planner, dims[0].Lo)
		case len(slas) == 0 && len(p.SearchSLATier) == 0:
			return nil, bad("search-planner", "%s needs an SLA to find the boundary of: --search-sla", planner)
		case p.NumProfileRuns > 1 && len(p.SearchSLATier) == 0: // a multi-tier search in its place judges every run
			return nil, bad("num-profile-runs", "one run per probe with --search-planner %s", planner)
		}
		if planner == "monotonic_sla" {
			m := sweep.NewMonotonic(int(dims[0].Lo), int(dims[0].Hi))
			m.MaxProbes = probes
			r.search = m
			break
		}
		si := sweep.NewSmoothIsotonic(int(dims[0].Lo), int(dims[0].Hi), thresholds(slas))
		si.MaxProbes = probes
		r.search = si
	default:
		return nil, bad("search-planner", "must be bayesian, optuna, monotonic_sla or smooth_isotonic, got %s", clip.Quote(planner))
	}
	return r, nil
}

// parseDim reads one --search-space value, "path:lo,hi[:kind]" (kind int
// or real, real by default), as AIPerf's parse_search_space.
func parseDim(raw string) (sweep.Dim, error) {
	bad := func(msg string, args ...any) error {
		return &options.Error{Flag: "search-space", Msg: fmt.Sprintf("%s: ", clip.Quote(raw)) + fmt.Sprintf(msg, args...)}
	}
	parts := strings.Split(raw, ":")
	if len(parts) < 2 || len(parts) > 3 || !strings.Contains(parts[1], ",") {
		return sweep.Dim{}, bad("expected 'path:lo,hi[:kind]', e.g. 'phases.profiling.concurrency:1,1000:int'")
	}
	kind := "real"
	if len(parts) == 3 {
		kind = parts[2]
	}
	if kind != "int" && kind != "real" {
		return sweep.Dim{}, bad("kind must be int or real, got %s", clip.Quote(kind))
	}
	a, b, _ := strings.Cut(parts[1], ",")
	lo, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	hi, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	set, known := options.LookupSweepSetting(parts[0])
	switch {
	case err1 != nil || err2 != nil || math.IsNaN(lo) || math.IsNaN(hi):
		return sweep.Dim{}, bad("the bounds are not numbers")
	case hi <= lo:
		return sweep.Dim{}, bad("hi (%g) must be above lo (%g)", hi, lo)
	case !known:
		return sweep.Dim{}, bad("%s is no setting a search can vary here (concurrency, rate, requests, duration, isl, osl, their stddev, entries, or their config paths)", clip.Quote(parts[0]))
	case set.Whole && kind != "int":
		return sweep.Dim{}, bad("%s takes whole numbers: give kind int", set.Name)
	case lo < set.Min || (set.Above && lo <= set.Min):
		return sweep.Dim{}, bad("lo (%g) is below what %s takes (%g)", lo, set.Name, set.Min)
	case hi > 1e9:
		return sweep.Dim{}, bad("hi (%g) is too large", hi)
	case kind == "int" && (lo != math.Trunc(lo) || hi != math.Trunc(hi)):
		return sweep.Dim{}, bad("kind int needs whole bounds")
	}
	return sweep.Dim{Path: set.Path, Param: sweep.Param{Name: set.Name, Whole: set.Whole}, Lo: lo, Hi: hi, Int: kind == "int"}, nil
}

// checkObjective refuses an objective no run has: an unknown metric, a
// statistic other than AIPerf's avg/p50/p90/p95/p99, or a percentile of a
// one-value metric.
func checkObjective(metricFlag, metric, statFlag, stat string) error {
	if !slices.Contains([]string{"avg", "p50", "p90", "p95", "p99"}, stat) {
		return &options.Error{Flag: statFlag, Msg: fmt.Sprintf("must be avg, p50, p90, p95 or p99, got %s", clip.Quote(stat))}
	}
	d, known := metrics.Lookup(metric)
	switch {
	case !known && !derivedMetrics[metric]:
		return &options.Error{Flag: metricFlag, Msg: fmt.Sprintf("%s is not a metric tag (e.g. output_token_throughput)", clip.Quote(metric))}
	case (derivedMetrics[metric] || d.Has(metrics.AggregateMetric)) && stat != "avg":
		return &options.Error{Flag: statFlag, Msg: fmt.Sprintf("%s has one value per run: its stat is avg", metric)}
	}
	return nil
}

// checkOptuna takes the Optuna settings whose behaviour our planner is:
// sampler gp or botorch (a Gaussian process; Optuna's TPE is not one),
// acquisition logei or qlogei (expected improvement, one point at a time;
// the noisy and multi-objective ones are not it), terminator none. Each
// needs --search-planner optuna, where AIPerf reads it.
func checkOptuna(s prof.Settings, planner string) error {
	p := s.Profile
	for _, c := range []struct {
		flag, value string
		built       []string
		why         string
	}{
		{"optuna-sampler", p.OptunaSampler, []string{"gp", "botorch"}, "tpe (a tree-structured Parzen estimator, not a Gaussian process)"},
		{"optuna-acquisition", p.OptunaAcquisition, []string{"logei", "qlogei"}, "the noisy and multi-objective acquisitions (qnei, qlognei, qehvi, qnehvi, qlognehvi)"},
		{"optuna-terminator", p.OptunaTerminator, []string{"none"}, "the regret and emmr stopping rules"},
	} {
		if !s.Set[c.flag] {
			continue
		}
		switch {
		case planner != "optuna":
			return &options.Error{Flag: c.flag, Msg: "needs --search-planner optuna, the only planner that reads it"}
		case !slices.Contains(c.built, c.value):
			return &options.Error{Flag: c.flag, Msg: fmt.Sprintf("not yet supported: %s; built: %s (not yet: %s)", clip.Quote(c.value), strings.Join(c.built, ", "), c.why)}
		}
	}
	if s.Set["optuna-acquisition"] && s.Set["optuna-sampler"] && p.OptunaSampler != "botorch" {
		return &options.Error{Flag: "optuna-acquisition", Msg: fmt.Sprintf("needs --optuna-sampler botorch; got %s (acquisitions are read on the BoTorch path only)", p.OptunaSampler)}
	}
	return nil
}

// newBayes is the Bayesian planner over dims with the tunables given
// (--search-max-iterations, else maxDefault; --search-initial-points, else
// initDefault; --search-random-seed, else a fresh seed, as AIPerf's
// unseeded study).
func newBayes(s prof.Settings, dims []sweep.Dim, metric, stat string, maximize bool, maxDefault, initDefault int) (*sweep.Adaptive, error) {
	p := s.Profile
	maxIter, initial := maxDefault, initDefault
	var err error
	if s.Set["search-max-iterations"] {
		if maxIter, err = whole("search-max-iterations", p.SearchMaxIterations, 2, 200); err != nil {
			return nil, err
		}
	}
	if s.Set["search-initial-points"] {
		if initial, err = whole("search-initial-points", p.SearchInitialPoints, 1, 1000); err != nil {
			return nil, err
		}
	}
	if initial >= maxIter {
		return nil, &options.Error{Flag: "search-initial-points", Msg: fmt.Sprintf("%d must be below --search-max-iterations %d, or the model is never fitted", initial, maxIter)}
	}
	a := &sweep.Adaptive{Planner: "bayesian", Metric: metric, Stat: stat, JSONL: report.JSONLFile}
	seed := uint64(time.Now().UnixNano())
	if s.Set["search-random-seed"] {
		v, err := strconv.ParseInt(strings.TrimSpace(p.SearchRandomSeed), 10, 64)
		if err != nil {
			return nil, &options.Error{Flag: "search-random-seed", Msg: fmt.Sprintf("%s is not a whole number", clip.Quote(p.SearchRandomSeed))}
		}
		a.Seed, seed = &v, uint64(v)
	}
	if names, err := prof.ExportNames(p); err == nil {
		a.JSONL = names.JSONL
	}
	a.Bayes = sweep.NewBayes(dims, maximize, maxIter, initial, seed)
	return a, nil
}

// whole reads a whole-number flag within [lo, hi].
func whole(flag, v string, lo, hi int) (int, error) {
	x, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || x < lo || x > hi {
		return 0, &options.Error{Flag: flag, Msg: fmt.Sprintf("%s must be a whole number from %d to %d", clip.Quote(v), lo, hi)}
	}
	return x, nil
}

// bayesRecipe tells whether the recipe runs a Bayesian search, the only
// recipes that take the search's tunables.
func bayesRecipe(p options.Profile) bool {
	return p.SearchRecipe == "max-goodput-under-slo" ||
		(p.SearchRecipe == "max-concurrency-under-sla" && (p.SearchStyle == "bo" || p.SearchStyle == "optuna"))
}

// concurrencyBayes is a Bayesian recipe's search: whole concurrencies from
// --concurrency-min (1) to --concurrency-max (1000) spread on a log scale
// (AIPerf's log-uniform prior), the metric's average maximised, 30
// iterations and 5 start points unless the tunables say otherwise.
func concurrencyBayes(s prof.Settings, n numbers, metric string) (*sweep.Adaptive, error) {
	lo, hi := n.int("concurrency-min", s.Profile, 1), n.int("concurrency-max", s.Profile, 1000)
	switch {
	case n.err != nil:
		return nil, n.err
	case hi <= lo:
		return nil, &options.Error{Flag: "concurrency-max", Msg: fmt.Sprintf("%g must be above --concurrency-min %g", hi, lo)}
	}
	dim := sweep.Dim{Path: "phases.profiling.concurrency", Param: concParam, Lo: lo, Hi: hi, Int: true, Log: true}
	a, err := newBayes(s, []sweep.Dim{dim}, metric, "avg", true, 30, 5)
	if err != nil {
		return nil, err
	}
	a.Recipe = s.Profile.SearchRecipe
	return a, nil
}

// goodputRecipe is AIPerf's max-goodput-under-slo (DistServe's
// formulation): a Bayesian search over concurrency for the most goodput
// where at least --slo-attainment-fraction (0.95) of the requests meet
// TTFT, ITL and request latency SLOs together.
func goodputRecipe(s prof.Settings, n numbers) (*recipe, error) {
	p := s.Profile
	var missing []string
	for _, f := range []string{"ttft-sla-ms", "tpot-sla-ms", "e2e-sla-ms"} {
		if !n.set[f] && !(f == "tpot-sla-ms" && n.set["itl-sla-ms"]) {
			missing = append(missing, "--"+f)
		}
	}
	attainment := 0.95
	if n.set["slo-attainment-fraction"] {
		x, err := strconv.ParseFloat(strings.TrimSpace(p.SLOAttainmentFraction), 64)
		if err != nil || !(x > 0 && x <= 1) {
			return nil, &options.Error{Flag: "slo-attainment-fraction", Msg: fmt.Sprintf("%s must be a share above 0, at most 1", clip.Quote(p.SLOAttainmentFraction))}
		}
		attainment = x
	}
	switch {
	case len(missing) > 0:
		return nil, &options.Error{Flag: "search-recipe", Msg: fmt.Sprintf("max-goodput-under-slo needs %s: the three SLOs (--ttft-sla-ms, --tpot-sla-ms or --itl-sla-ms, --e2e-sla-ms) say which requests are good", strings.Join(missing, ", "))}
	case !s.Options.Streaming:
		return nil, &options.Error{Flag: "search-recipe", Msg: "max-goodput-under-slo needs --streaming (TPOT is a streaming-only metric)"}
	case s.Set["goodput"]:
		return nil, &options.Error{Flag: "goodput", Msg: "not with max-goodput-under-slo: the recipe sets the SLOs from --ttft-sla-ms, --tpot-sla-ms and --e2e-sla-ms"}
	}
	n.positive("ttft-sla-ms", p.TTFTSLA)
	n.positive("e2e-sla-ms", p.E2ESLA)
	if n.set["tpot-sla-ms"] {
		n.positive("tpot-sla-ms", p.TPOTSLA)
	} else {
		n.positive("itl-sla-ms", p.ITLSLA)
	}
	if n.err != nil {
		return nil, n.err
	}
	a, err := concurrencyBayes(s, n, "goodput")
	if err != nil {
		return nil, err
	}
	extra, err := searchSLAs(p)
	if err != nil {
		return nil, err
	}
	r := &recipe{params: []sweep.Param{concParam}, adaptive: a}
	r.sla = append([]sweep.SLAFilter{{Metric: "good_request_fraction", Stat: "avg", Op: "ge", Threshold: attainment}}, extra...)
	return r, nil
}

// goodputITL is the recipe's inter-token SLO: --tpot-sla-ms, else --itl-sla-ms.
func goodputITL(p options.Profile) string {
	if p.TPOTSLA != "" {
		return p.TPOTSLA
	}
	return p.ITLSLA
}

// goodputSLOs is the --goodput of each run of max-goodput-under-slo.
func goodputSLOs(p options.Profile) string {
	return fmt.Sprintf("time_to_first_token:%s inter_token_latency:%s request_latency:%s",
		strings.TrimSpace(p.TTFTSLA), strings.TrimSpace(goodputITL(p)), strings.TrimSpace(p.E2ESLA))
}
