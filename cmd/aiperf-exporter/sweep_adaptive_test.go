package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/sweep"
)

// history reads the search_history.json a search wrote into base.
func history(t *testing.T, base string) searchHistory {
	t.Helper()
	return testkit.ReadJSON[searchHistory](t, filepath.Join(base, sweep.HistoryJSONFile))
}

// iterationValue is the value the i-th iteration gave the dimension path.
func iterationValue(t *testing.T, h searchHistory, i int, path string) float64 {
	t.Helper()
	if i >= len(h.Iterations) {
		t.Fatalf("the history has %d iterations, no iteration %d", len(h.Iterations), i)
	}
	v, ok := h.Iterations[i].VariationValues[path]
	if !ok {
		t.Fatalf("iteration %d has no %s: %v", i, path, h.Iterations[i].VariationValues)
	}
	return v
}

// --search-space: each iteration runs the concurrency the planner chose,
// --num-profile-runs times, into AIPerf's layout; the history records it,
// and one seed gives the same start points again.
func TestProfileAdaptiveSearch(t *testing.T) {
	args := append(quickMock, "--search-space", "concurrency:1,16:int", "--search-metric", "request_throughput",
		"--search-direction", "maximize", "--search-max-iterations", "3", "--search-initial-points", "2",
		"--search-random-seed", "7", "--num-profile-runs", "2", "--search-sla", "time_to_first_token:p95:lt:60000")
	stdout, base := profileOK(t, args...)
	h := history(t, base)
	if len(h.Iterations) != 3 || h.ConvergenceReason != "max_iterations" || len(h.BestTrials) != 1 {
		t.Fatalf("history %+v", h)
	}
	for i := 0; i < 3; i++ {
		c := iterationValue(t, h, i, "phases.profiling.concurrency")
		for trial := 1; trial <= 2; trial++ {
			got := inputConfig(t, filepath.Join(base, fmt.Sprintf("search_iter_%04d", i), "profile_runs", fmt.Sprintf("run_%04d", trial))).Loadgen.Concurrency
			if got != c {
				t.Errorf("iteration %d trial %d ran at %v, the history says %v", i, trial, got, c)
			}
		}
	}
	if sla := h.Config.SLAFilters; len(sla) != 1 {
		t.Errorf("sla_filters %v", sla)
	}
	if _, err := os.Stat(filepath.Join(base, "aggregate", "sweep_aggregate", sweep.SweepJSONFile)); err != nil {
		t.Error(err)
	}
	if !strings.Contains(stdout, "Adaptive search (bayesian), 3 iterations, stopped: max_iterations") {
		t.Errorf("stdout:\n%s", stdout)
	}
	_, again := profileOK(t, args...)
	for i := 0; i < 2; i++ { // the start points; the model's choices then follow what was measured
		if a, b := iterationValue(t, h, i, "phases.profiling.concurrency"), iterationValue(t, history(t, again), i, "phases.profiling.concurrency"); a != b {
			t.Errorf("seed 7, iteration %d: %v then %v", i, a, b)
		}
	}
}

// max-goodput-under-slo: a Bayesian search for goodput where each run
// counts its good requests by the recipe's three SLOs, judged on
// good_request_fraction ≥ --slo-attainment-fraction.
func TestProfileMaxGoodputUnderSLORecipe(t *testing.T) {
	_, base := profileOK(t, append(quickMock, "--search-recipe", "max-goodput-under-slo",
		"--ttft-sla-ms", "60000", "--itl-sla-ms", "1000", "--e2e-sla-ms", "60000", "--slo-attainment-fraction", "0.9",
		"--concurrency-max", "4", "--search-max-iterations", "3", "--search-initial-points", "2", "--search-random-seed", "1")...)
	h := history(t, base)
	cfg := h.Config
	if len(cfg.SLAFilters) == 0 || len(cfg.Objectives) == 0 || len(h.BestTrials) == 0 || h.BoundarySummary == nil {
		t.Fatalf("history without its SLA, objective, best trial or boundary: %+v", h)
	}
	sla, obj := cfg.SLAFilters[0], cfg.Objectives[0]
	if h.Recipe != "max-goodput-under-slo" || sla.MetricTag != "good_request_fraction" || sla.Op != "ge" || sla.Threshold != 0.9 || obj.Metric != "goodput" {
		t.Errorf("config %+v, recipe %v", cfg, h.Recipe)
	}
	input := inputConfig(t, filepath.Join(base, "search_iter_0000", "profile_runs", "run_0001")).Input
	if g := input.Goodput; g["time_to_first_token"] != 60000 || g["inter_token_latency"] != 1000 || g["request_latency"] != 60000 {
		t.Errorf("the run's goodput SLOs: %+v", input)
	}
	if best := h.BestTrials[0]; !best.Feasible || len(best.ObjectiveValues) == 0 || best.ObjectiveValues[0] <= 0 {
		t.Errorf("best %+v", best)
	}
	if bs := h.BoundarySummary; bs.FeasibleMax == nil {
		t.Errorf("boundary %+v", bs)
	}
}

// max-concurrency-under-sla --search-style bo and optuna: the Bayesian
// search for output token throughput under the recipe's SLAs.
func TestProfileMaxConcurrencyUnderSLABayes(t *testing.T) {
	for _, style := range []string{"bo", "optuna"} {
		code, stdout, stderr, base := profileInDir(t, append(quickMock, "--search-recipe", "max-concurrency-under-sla", "--search-style", style,
			"--ttft-sla-ms", "60000", "--concurrency-max", "8", "--search-max-iterations", "2", "--search-initial-points", "1", "--search-random-seed", "3")...)
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s\n%s", style, code, stdout, stderr)
		}
		h := history(t, base)
		want := map[string]string{"bo": "bayesian", "optuna": "optuna"}[style]
		if h.Config.Planner != want || len(h.Iterations) != 2 {
			t.Errorf("%s: history %+v", style, h)
		}
		if _, err := os.Stat(filepath.Join(base, "search_iter_0001", "profile_runs", "run_0001", report.JSONFile)); err != nil {
			t.Error(err)
		}
	}
}

// --search-planner monotonic_sla over a --search-space concurrency: the
// monotonic search against the --search-sla filters.
func TestProfileMonotonicPlanner(t *testing.T) {
	_, base := profileOK(t, append(quickMock, "--search-space", "concurrency:1,2:int", "--search-metric", "request_throughput",
		"--search-direction", "maximize", "--search-max-iterations", "10", "--search-planner", "monotonic_sla",
		"--search-sla", "time_to_first_token:p95:lt:60000")...)
	sum := testkit.ReadJSON[searchSummary](t, filepath.Join(base, sweep.SearchJSONFile))
	if sum.FeasibleMax == nil || *sum.FeasibleMax != 2 || sum.ConvergenceReason != "monotonic_no_failure_in_range" {
		t.Errorf("summary %+v", sum)
	}
}

// --search-planner smooth_isotonic over a --search-space concurrency, one
// probe a value, against the --search-sla filters; a breaking SLA brackets
// the boundary below the first value.
func TestProfileSmoothIsotonicPlanner(t *testing.T) {
	for _, c := range []struct {
		sla, reason string
		feasible    float64
		probes      int
	}{
		{"time_to_first_token:p95:lt:60000", "smooth_isotonic_no_failure_in_range", 2, 2},
		{"request_throughput:avg:gt:1000000", "smooth_isotonic_no_pass_in_range", 0, 1},
	} {
		_, base := profileOK(t, append(quickMock, "--search-space", "concurrency:1,2:int", "--search-metric", "request_throughput",
			"--search-direction", "maximize", "--search-max-iterations", "10", "--search-planner", "smooth_isotonic", "--search-sla", c.sla)...)
		sum := testkit.ReadJSON[searchSummary](t, filepath.Join(base, sweep.SearchJSONFile))
		if sum.SearchStyle != "smooth_isotonic" || sum.FeasibleMax == nil || *sum.FeasibleMax != c.feasible || sum.ConvergenceReason != c.reason ||
			len(sum.Probes) != c.probes {
			t.Errorf("%s: summary %+v", c.sla, sum)
		}
	}
}

// The Optuna settings our planner is accepted with --search-planner optuna.
func TestProfileOptunaPlanner(t *testing.T) {
	_, base := profileOK(t, append(quickMock, "--search-space", "concurrency:1,4:int", "--search-metric", "time_to_first_token",
		"--search-stat", "p50", "--search-direction", "minimize", "--search-max-iterations", "2", "--search-initial-points", "1",
		"--search-planner", "optuna", "--optuna-sampler", "botorch", "--optuna-acquisition", "logei", "--optuna-terminator", "none",
		"--search-percentile-pooling", "pooled")...)
	if h := history(t, base); h.Config.Planner != "optuna" {
		t.Errorf("history %+v", h.Config)
	}
}

func TestProfileAdaptiveBadSettings(t *testing.T) {
	space := []string{"--search-space", "concurrency:1,8:int", "--search-metric", "request_throughput", "--search-direction", "maximize", "--search-max-iterations", "6"}
	with := func(extra ...string) []string { return append(append([]string(nil), space...), extra...) }
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--search-metric", "request_throughput"}, `--search-metric (AIPERF_SEARCH_METRIC): needs --search-space`},
		{[]string{"--search-max-iterations", "5"}, `--search-max-iterations (AIPERF_SEARCH_MAX_ITERATIONS): needs --search-space`},
		{[]string{"--search-space", "concurrency:1,8:int"}, `--search-metric (AIPERF_SEARCH_METRIC): an adaptive search needs the metric`},
		{with("--search-space", "concurrency:2,4:int"), `is given twice`},
		{[]string{"--search-space", "isl:8,64"}, `isl takes whole numbers: give kind int`},
		{[]string{"--search-space", "concurrency:8,1:int"}, `hi (1) must be above lo (8)`},
		{[]string{"--search-space", "concurency:1,8:int"}, `"concurency" is no setting a search can vary here`},
		{[]string{"--search-space", "concurrency:1-8:int"}, `expected 'path:lo,hi[:kind]'`},
		{[]string{"--search-space", "concurrency:1,8:float"}, `kind must be int or real`},
		{[]string{"--search-space", "concurrency:0,8:int"}, `lo (0) is below what concurrency takes (1)`},
		{with("--search-direction", "up"), `--search-direction (AIPERF_SEARCH_DIRECTION): must be maximize or minimize`},
		{with("--search-max-iterations", "500"), `--search-max-iterations (AIPERF_SEARCH_MAX_ITERATIONS): "500" must be a whole number from 2 to 200`},
		{with("--search-initial-points", "6"), `--search-initial-points (AIPERF_SEARCH_INITIAL_POINTS): 6 must be below --search-max-iterations 6`},
		{with("--search-random-seed", "x"), `--search-random-seed (AIPERF_SEARCH_RANDOM_SEED): "x" is not a whole number`},
		{with("--search-metric", "throughput"), `--search-metric (AIPERF_SEARCH_METRIC): "throughput" is not a metric tag`},
		{with("--search-stat", "p99"), `--search-stat (AIPERF_SEARCH_STAT): request_throughput has one value per run`},
		{with("--search-stat", "p97"), `must be avg, p50, p90, p95 or p99`},
		{with("--search-percentile-pooling", "pooled", "--search-stat", "avg"), `pooled needs --search-stat to be a percentile`},
		{with("--search-percentile-pooling", "median"), `must be mean or pooled`},
		{with("--search-planner", "smooth_isotonic"), `--search-planner (AIPERF_SEARCH_PLANNER): smooth_isotonic needs an SLA`},
		{with("--search-planner", "grid"), `must be bayesian, optuna, monotonic_sla or smooth_isotonic`},
		{with("--search-planner", "monotonic_sla"), `monotonic_sla needs an SLA`},
		{with("--optuna-sampler", "gp"), `--optuna-sampler (AIPERF_OPTUNA_SAMPLER): needs --search-planner optuna`},
		{with("--search-planner", "optuna", "--optuna-sampler", "tpe"), `--optuna-sampler (AIPERF_OPTUNA_SAMPLER): not yet supported: "tpe"`},
		{with("--search-planner", "optuna", "--optuna-acquisition", "qlognei"), `--optuna-acquisition (AIPERF_OPTUNA_ACQUISITION): not yet supported: "qlognei"`},
		{with("--search-planner", "optuna", "--optuna-sampler", "gp", "--optuna-acquisition", "logei"), `needs --optuna-sampler botorch`},
		{with("--search-planner", "optuna", "--optuna-terminator", "regret"), `--optuna-terminator (AIPERF_OPTUNA_TERMINATOR): not yet supported: "regret"`},
		{with("--concurrency", "1,2"), `--search-space (AIPERF_SEARCH_SPACE): not with a list`},
		{with("--num-profile-runs", "3", "--convergence-metric", "request_latency"), `not with --convergence-metric`},
		{[]string{"--search-recipe", "concurrency-ramp", "--search-metric", "goodput"}, `--search-metric (AIPERF_SEARCH_METRIC): not with --search-recipe`},
		{[]string{"--search-recipe", "concurrency-ramp", "--search-max-iterations", "5"}, `--search-max-iterations (AIPERF_SEARCH_MAX_ITERATIONS): tunes a Bayesian search`},
		{[]string{"--search-recipe", "max-goodput-under-slo", "--ttft-sla-ms", "100"}, `max-goodput-under-slo needs --tpot-sla-ms, --e2e-sla-ms`},
		{[]string{"--search-recipe", "max-goodput-under-slo", "--ttft-sla-ms", "100", "--tpot-sla-ms", "5", "--e2e-sla-ms", "900", "--slo-attainment-fraction", "1.5"}, `--slo-attainment-fraction (AIPERF_SLO_ATTAINMENT_FRACTION): "1.5" must be a share above 0, at most 1`},
		{[]string{"--search-recipe", "max-goodput-under-slo", "--ttft-sla-ms", "100", "--tpot-sla-ms", "5", "--e2e-sla-ms", "900", "--goodput", "time_to_first_token:5"}, `--goodput (AIPERF_GOODPUT): not with max-goodput-under-slo`},
		{[]string{"--slo-attainment-fraction", "0.9"}, `--slo-attainment-fraction (AIPERF_SLO_ATTAINMENT_FRACTION): needs --search-recipe`},
	} {
		code, _, stderr, base := profileInDir(t, append(quickMock, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q, want 2 and %q", c.args, code, stderr, c.want)
		}
		if entries, _ := os.ReadDir(base); len(entries) > 0 {
			t.Errorf("%q: wrote %d entries before failing", c.args, len(entries))
		}
	}
}
