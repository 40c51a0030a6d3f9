package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/plot"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/sweep"
)

// quickMock is a mock that answers in a few milliseconds.
var quickMock = []string{"--mock", "--model", "m", "--streaming", "--mock.ttft", "2", "--mock.itl", "1",
	"--mock.output-tokens", "8", "--request-count", "4"}

// runFigure reads figure (e.g. time_to_first_token_p99) of the JSON export a
// run wrote into dir, straight from the file.
func runFigure(t *testing.T, dir, figure string) (float64, bool) {
	t.Helper()
	doc := readJSON(t, filepath.Join(dir, report.JSONFile))
	for tag, v := range doc {
		m, ok := v.(map[string]any)
		if !ok || !strings.HasPrefix(figure, tag+"_") {
			continue
		}
		if x, ok := m[strings.TrimPrefix(figure, tag+"_")].(float64); ok {
			return x, true
		}
	}
	return 0, false
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestProfileConcurrencySweep(t *testing.T) {
	stdout, base := profileOK(t, append(quickMock, "--concurrency", "1,2,4,8", "--goodput", "time_to_first_token:10000")...)
	values := []int{1, 2, 4, 8}
	dirs := map[int]string{}
	for _, c := range values {
		dirs[c] = filepath.Join(base, fmt.Sprintf("concurrency_%d", c))
		for _, f := range []string{report.JSONFile, report.CSVFile, report.JSONLFile, report.InputsFile} {
			if _, err := os.Stat(filepath.Join(dirs[c], f)); err != nil {
				t.Errorf("run at concurrency %d: %v", c, err)
			}
		}
		if got := inputConfig(t, dirs[c]).Loadgen.Concurrency; got != float64(c) {
			t.Errorf("run %s ran at concurrency %v", dirs[c], got)
		}
		raw, _ := os.ReadFile(filepath.Join(dirs[c], report.JSONFile))
		if want := fmt.Sprintf("--concurrency %d --goodput", c); !strings.Contains(string(raw), want) {
			t.Errorf("run %s: its cli_command does not say %q", dirs[c], want)
		}
	}

	// The summary holds every run's own figures, as its JSON export says.
	sum := testkit.ReadJSON[sweepSummary](t, filepath.Join(base, "sweep_aggregate", sweep.SweepJSONFile))
	if sum.AggregationType != "sweep" || sum.NumSuccessfulRuns != 4 {
		t.Errorf("summary header: %v, %v", sum.AggregationType, sum.NumSuccessfulRuns)
	}
	combos := sum.PerCombination
	if len(combos) != len(values) {
		t.Fatalf("%d combinations, want %d", len(combos), len(values))
	}
	bestThroughput, bestC := -1.0, 0
	for i, combo := range combos {
		if combo.Parameters["concurrency"] != float64(values[i]) {
			t.Fatalf("combination %d is concurrency %v, want %d", i, combo.Parameters["concurrency"], values[i])
		}
		c, metrics := values[i], combo.Metrics
		for _, figure := range []string{"request_throughput_avg", "output_token_throughput_avg", "output_token_throughput_per_user_avg", "output_token_throughput_per_user_p50",
			"time_to_first_token_p50", "time_to_first_token_p99", "inter_token_latency_p99", "request_count_avg", "good_request_count_avg"} {
			want, ok := runFigure(t, dirs[c], figure)
			if !ok && strings.HasPrefix(figure, "output_token_throughput_per_user") {
				// A run whose every stream arrived in one read (a loaded machine)
				// has an ITL of 0 and so no per-user figure: the summary has none either.
				if _, in := metrics[figure]; in {
					t.Errorf("concurrency %d: the summary has %s, the run's export has none", c, figure)
				}
				continue
			}
			if !ok {
				t.Errorf("concurrency %d: the run's export has no %s", c, figure)
				continue
			}
			if m, ok := metrics[figure]; !ok || !m.meanNear(want) {
				t.Errorf("concurrency %d: summary %s = %v, the run's export says %v", c, figure, m, want)
			}
		}
		if len(metrics) < 50 {
			t.Errorf("concurrency %d: only %d figures summarised", c, len(metrics))
		}
		if x, _ := runFigure(t, dirs[c], "request_throughput_avg"); x > bestThroughput {
			bestThroughput, bestC = x, c
		}
	}
	best, ok := sum.BestConfigurations["best_throughput"]
	if !ok || best.Parameters["concurrency"] != float64(bestC) || !near(best.Metric, bestThroughput) {
		t.Errorf("best throughput %v, want concurrency %d at %v", best, bestC, bestThroughput)
	}
	if len(sum.ParetoOptimal) == 0 {
		t.Error("no Pareto optimal point")
	}

	// The CSV: one row per value, then AIPerf's sections.
	b, err := os.ReadFile(filepath.Join(base, "sweep_aggregate", sweep.SweepCSVFile))
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "concurrency" || len(rows) < 5 || rows[4][0] != "8" {
		t.Errorf("CSV table starts %q ... %q", rows[0][:3], rows[min(4, len(rows)-1)])
	}
	for _, section := range []string{"Best Configurations", "Pareto Optimal Points", "Metadata"} {
		if !strings.Contains(string(b), "\n"+section+"\n") {
			t.Errorf("CSV has no %q section", section)
		}
	}

	// The plots, and the console summary naming the knee and the SLO limit.
	for _, f := range []string{plot.SweepPerUserFile, plot.SweepTTFTFile, plot.SweepITLFile} {
		png, err := os.ReadFile(filepath.Join(base, "sweep_aggregate", plot.Dir, f))
		if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Errorf("plot %s: %v", f, err)
		}
	}
	for _, want := range []string{"Sweep over concurrency (4 of 4 runs finished)", "Pareto optimal concurrency:", "highest load meeting --goodput (95% of requests): c=8"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
}

func TestProfileRepeatedRuns(t *testing.T) {
	stdout, base := profileOK(t, append(quickMock, "--concurrency", "2", "--num-profile-runs", "3", "--confidence-level", "0.9")...)
	agg := testkit.ReadJSON[sweepAggregate](t, filepath.Join(base, "aggregate", sweep.AggregateJSONFile))
	if meta := agg.Metadata; meta.AggregationType != "confidence" || meta.NumSuccessfulRuns != 3 || meta.ConfidenceLevel != 0.9 {
		t.Errorf("metadata %+v", meta)
	}
	metrics := agg.Metrics
	for _, figure := range []string{"request_throughput_avg", "time_to_first_token_p99", "request_latency_avg", "output_token_throughput_avg"} {
		var xs []float64
		for i := 1; i <= 3; i++ {
			x, ok := runFigure(t, filepath.Join(base, "profile_runs", fmt.Sprintf("run_%04d", i)), figure)
			if !ok {
				t.Fatalf("run %d has no %s", i, figure)
			}
			xs = append(xs, x)
		}
		mean := (xs[0] + xs[1] + xs[2]) / 3
		var ss float64
		for _, x := range xs {
			ss += (x - mean) * (x - mean)
		}
		std := math.Sqrt(ss / 2)
		const t90df2 = 2.919986 // Student t, 2 degrees of freedom, two-sided 90%
		got := metrics[figure]
		for k, c := range map[string]struct {
			got  *float64
			want float64
		}{"mean": {got.Mean, mean}, "std": {got.Std, std}, "ci_low": {got.CILow, mean - t90df2*std/math.Sqrt(3)}, "ci_high": {got.CIHigh, mean + t90df2*std/math.Sqrt(3)}} {
			if c.got == nil || math.Abs(*c.got-c.want) > 1e-5*math.Max(1, math.Abs(c.want)) {
				t.Errorf("%s %s = %v, want %v (runs %v)", figure, k, got, c.want, xs)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(base, "aggregate", sweep.AggregateCSVFile)); err != nil {
		t.Error(err)
	}
	if !strings.Contains(stdout, "Across 3 of 3 runs (profile runs), 90% confidence") {
		t.Errorf("stdout lacks the aggregate:\n%s", stdout)
	}
}

func TestProfileSweepRepeated(t *testing.T) {
	_, base := profileOK(t, append(quickMock, "--request-rate", "50,100", "--num-profile-runs", "2")...)
	for _, p := range []string{
		"profile_runs/trial_0001/request_rate_50.0/" + report.JSONFile, "profile_runs/trial_0002/request_rate_100.0/" + report.JSONFile,
		"aggregate/request_rate_50.0/" + sweep.AggregateJSONFile, "aggregate/request_rate_100.0/" + sweep.AggregateCSVFile,
		"aggregate/sweep_aggregate/" + sweep.SweepJSONFile,
	} {
		if _, err := os.Stat(filepath.Join(base, p)); err != nil {
			t.Error(err)
		}
	}
	sum := testkit.ReadJSON[sweepSummary](t, filepath.Join(base, "aggregate", "sweep_aggregate", sweep.SweepJSONFile))
	if len(sum.PerCombination) != 2 {
		t.Fatalf("%d settings in the summary, want 2", len(sum.PerCombination))
	}
	m := sum.PerCombination[1].Metrics["request_count_avg"]
	if m.Mean == nil || *m.Mean != 4 || m.TCritical == nil {
		t.Errorf("request_count_avg across trials = %v, want mean 4 with an interval", m)
	}
}

func TestProfileSweepBadSettings(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--concurrency", "1,0"}, `--concurrency (AIPERF_CONCURRENCY): list "1,0": "0" must be a whole number of at least 1`},
		{[]string{"--num-profile-runs", "0"}, `--num-profile-runs (AIPERF_NUM_PROFILE_RUNS): must be at least 1`},
		{[]string{"--num-profile-runs", "3", "--confidence-level", "95"}, `--confidence-level (AIPERF_CONFIDENCE_LEVEL): must be between 0 and 1`},
		{[]string{"--concurrency", "1,2", "--isl", "8,16,32", "--sweep-type", "zip"}, `--sweep-type (AIPERF_SWEEP_TYPE): zip needs lists of one length: isl has 3 values, concurrency has 2`},
		{[]string{"--concurrency", "1,2", "--sweep-type", "diagonal"}, `--sweep-type (AIPERF_SWEEP_TYPE): must be grid or zip`},
		{[]string{"--isl", "8,16", "--synthetic-input-tokens-mean", "4,8"}, `a list is already given to --isl, the same setting`},
		{[]string{"--concurrency", "1,2", "--parameter-sweep-mode", "interleaved"}, `--parameter-sweep-mode (AIPERF_PARAMETER_SWEEP_MODE): must be repeated or independent`},
		{[]string{"--concurrency", "1,2", "--parameter-sweep-same-seed"}, `--parameter-sweep-same-seed (AIPERF_PARAMETER_SWEEP_SAME_SEED): needs --random-seed`},
		{[]string{"--num-profile-runs", "3", "--convergence-metric", "time_to_first_token", "--convergence-mode", "distribution"}, `--convergence-mode (AIPERF_CONVERGENCE_MODE): not yet supported: distribution`},
		{[]string{"--num-profile-runs", "3", "--convergence-stat", "p99"}, `--convergence-stat (AIPERF_CONVERGENCE_STAT): needs --convergence-metric`},
		{[]string{"--num-profile-runs", "3", "--convergence-metric", "request_latency", "--convergence-threshold", "1.5"}, `--convergence-threshold (AIPERF_CONVERGENCE_THRESHOLD): must be between 0 and 1`},
		{[]string{"--num-profile-runs", "3", "--convergence-metric", "time_to_frist_token"}, `--convergence-metric (AIPERF_CONVERGENCE_METRIC): "time_to_frist_token" is not a metric tag`},
		{[]string{"--search-recipe", "concurrency-ramp", "--degradation-threshold", "0.2", "--degradation-metric-tag", "latency"}, `--degradation-metric-tag (AIPERF_DEGRADATION_METRIC_TAG): "latency" is not a metric tag`},
		{[]string{"--search-recipe", "max-throughput-ttft-sla", "--ttft-sla-ms", "200"}, `--search-recipe (AIPERF_SEARCH_RECIPE): not yet supported: "max-throughput-ttft-sla"`},
		{[]string{"--isl-min", "256"}, `--isl-min (AIPERF_ISL_MIN): needs --search-recipe`},
		{[]string{"--search-recipe", "max-concurrency-under-sla", "--ttft-sla-ms", "200", "--search-style", "hill-climb"}, `--search-style (AIPERF_SEARCH_STYLE): not yet supported: hill-climb; --search-style grid, monotonic, smooth_isotonic, bo and optuna are built`},
		{[]string{"--search-recipe", "max-concurrency-under-sla", "--ttft-sla-ms", "200", "--num-profile-runs", "2"}, `--num-profile-runs (AIPERF_NUM_PROFILE_RUNS): one run per probe with --search-style smooth_isotonic`},
		{[]string{"--search-recipe", "max-concurrency-under-sla", "--ttft-sla-ms", "200", "--search-style", "monotonic", "--num-profile-runs", "2"}, `--num-profile-runs (AIPERF_NUM_PROFILE_RUNS): one run per probe with --search-style monotonic (it probes a value until two runs agree)`},
		{[]string{"--search-recipe", "max-concurrency-under-sla", "--ttft-sla-ms", "200", "--search-style", "monotonic", "--concurrency-min", "8", "--concurrency-max", "8"}, `--concurrency-max (AIPERF_CONCURRENCY_MAX): 8 must be above --concurrency-min 8`},
		{[]string{"--search-recipe", "max-concurrency-under-sla", "--ttft-sla-ms", "200", "--search-style", "smooth_isotonic", "--concurrency-min", "9", "--concurrency-max", "8"}, `--concurrency-max (AIPERF_CONCURRENCY_MAX): 8 must be above --concurrency-min 9`},
		{[]string{"--search-recipe", "max-concurrency-under-sla", "--search-style", "grid"}, `max-concurrency-under-sla needs one of --ttft-sla-ms`},
		{[]string{"--search-recipe", "max-concurrency-under-sla", "--search-style", "grid", "--ttft-sla-ms", "-5"}, `--ttft-sla-ms (AIPERF_TTFT_SLA_MS): "-5" must be a number above 0`},
		{[]string{"--search-recipe", "prefill-ttft-curve", "--isl-steps", "1"}, `--isl-steps (AIPERF_ISL_STEPS): isl: needs at least 2 steps`},
		{[]string{"--search-recipe", "decode-itl-curve", "--osl-min", "abc"}, `--osl-min (AIPERF_OSL_MIN): "abc" is not a whole number of at least 1`},
		{[]string{"--search-recipe", "concurrency-ramp", "--concurrency-steps", "1000000000"}, `--concurrency-steps (AIPERF_CONCURRENCY_STEPS): "1000000000" is more than 1000`},
		{[]string{"--search-recipe", "concurrency-ramp", "--concurrency-max", "99999999999"}, `--concurrency-max (AIPERF_CONCURRENCY_MAX): "99999999999" is more than 1000000000`},
		{[]string{"--search-recipe", "pareto-sweep"}, `--isl-osl-pairs (AIPERF_ISL_OSL_PAIRS): pareto-sweep needs isl/osl pairs`},
		{[]string{"--search-recipe", "pareto-sweep", "--isl-osl-pairs", "128:128"}, `"128:128" is no isl/osl pair`},
		{[]string{"--search-recipe", "concurrency-ramp", "--isl", "8,16"}, `--search-recipe (AIPERF_SEARCH_RECIPE): builds its own sweep`},
		{[]string{"--search-recipe", "concurrency-ramp", "--degradation-stat", "p90"}, `--degradation-threshold (AIPERF_DEGRADATION_THRESHOLD): needed with`},
		{[]string{"--search-recipe", "concurrency-ramp", "--degradation-threshold", "0.2", "--degradation-stat", "p99.9"}, `--degradation-stat (AIPERF_DEGRADATION_STAT): "p99.9" is not a stat`},
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

// The list in AIPERF_CONCURRENCY sweeps as --concurrency's does, one run per
// value; a bad item in it exits 2 naming the variable.
func TestProfileSweepFromEnv(t *testing.T) {
	t.Setenv("AIPERF_CONCURRENCY", "[1, 2]")
	_, base := profileOK(t, quickMock...)
	for _, c := range []int{1, 2} {
		if got := inputConfig(t, filepath.Join(base, fmt.Sprintf("concurrency_%d", c))).Loadgen.Concurrency; got != float64(c) {
			t.Errorf("run concurrency_%d ran at concurrency %v", c, got)
		}
	}
	if _, err := os.Stat(filepath.Join(base, "sweep_aggregate", sweep.SweepJSONFile)); err != nil {
		t.Error(err)
	}

	t.Setenv("AIPERF_CONCURRENCY", "1,two")
	code, _, stderr, _ := profileInDir(t, quickMock...)
	if want := `(AIPERF_CONCURRENCY): list "1,two": "two" is not a number`; code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, want)
	}
}

// A 2x2 grid over concurrency and ISL: every combination runs in AIPerf's
// order into its own directory with its own settings and seed, and the
// summary holds each run's own figures, as its JSON export says.
func TestProfileTwoParameterSweep(t *testing.T) {
	stdout, base := profileOK(t, append(quickMock, "--concurrency", "1,2", "--isl", "16,32", "--random-seed", "7")...)
	type combo struct{ c, isl int }
	order := []combo{{1, 16}, {2, 16}, {1, 32}, {2, 32}} // isl (a dataset path) first, the load changing fastest
	sum := testkit.ReadJSON[sweepSummary](t, filepath.Join(base, "sweep_aggregate", sweep.SweepJSONFile))
	combos := sum.PerCombination
	if len(combos) != len(order) {
		t.Fatalf("%d combinations, want %d", len(combos), len(order))
	}
	for i, want := range order {
		dir := filepath.Join(base, fmt.Sprintf("isl_%d__concurrency_%d", want.isl, want.c))
		ic := inputConfig(t, dir)
		isl := ic.Input.Prompt.InputTokens.Mean
		if ic.Loadgen.Concurrency != float64(want.c) || isl != float64(want.isl) || ic.Input.RandomSeed != float64(7+i) {
			t.Errorf("%s ran at concurrency %v, isl %v, seed %v; want %d, %d, %d", dir, ic.Loadgen.Concurrency, isl, ic.Input.RandomSeed, want.c, want.isl, 7+i)
		}
		params := combos[i].Parameters
		if params["concurrency"] != float64(want.c) || params["isl"] != float64(want.isl) {
			t.Errorf("combination %d is %v, want %+v", i, params, want)
		}
		metrics := combos[i].Metrics
		for _, figure := range []string{"request_throughput_avg", "output_token_throughput_avg", "time_to_first_token_p99", "input_sequence_length_avg", "request_count_avg"} {
			want, ok := runFigure(t, dir, figure)
			if m, in := metrics[figure]; !ok || !in || !m.meanNear(want) {
				t.Errorf("%s: summary %s = %v, the run's export says %v", dir, figure, m, want)
			}
		}
	}
	var names []string
	for _, p := range sum.Metadata.SweepParameters {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "isl,concurrency" {
		t.Errorf("sweep parameters %v", names)
	}
	b, err := os.ReadFile(filepath.Join(base, "sweep_aggregate", sweep.SweepCSVFile))
	if err != nil || !strings.HasPrefix(string(b), "isl,concurrency,") || !strings.Contains(string(b), "\n32,2,") {
		t.Errorf("CSV starts %.60q (%v)", b, err)
	}
	// One capacity curve per ISL, concurrency as the load.
	for _, isl := range []string{"isl_16", "isl_32"} {
		if _, err := os.Stat(filepath.Join(base, "sweep_aggregate", plot.Dir, isl, plot.SweepPerUserFile)); err != nil {
			t.Error(err)
		}
	}
	if want := "Sweep over isl, concurrency (4 of 4 runs finished)"; !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
}

// Zip pairs the lists; independent order runs every trial of a setting
// before the next, into AIPerf's independent layout; only each setting's
// first trial warms up; setting i gets seed 42 + i.
func TestProfileZipSweepIndependent(t *testing.T) {
	stdout, base := profileOK(t, append(quickMock, "--concurrency", "1,2", "--isl", "16,32", "--sweep-type", "zip",
		"--num-profile-runs", "2", "--parameter-sweep-mode", "independent", "--warmup-request-count", "1", "--no-sweep-table")...)
	for i, cell := range []string{"isl_16__concurrency_1", "isl_32__concurrency_2"} {
		for trial := 1; trial <= 2; trial++ {
			ic := inputConfig(t, filepath.Join(base, cell, "profile_runs", fmt.Sprintf("trial_%04d", trial)))
			warmup := ic.Loadgen.WarmupRequestCount
			if want := map[int]float64{1: 1, 2: 0}[trial]; warmup != want || ic.Input.RandomSeed != float64(42+i) {
				t.Errorf("%s trial %d: warmup %v, seed %v; want %v, %d", cell, trial, warmup, ic.Input.RandomSeed, want, 42+i)
			}
		}
		if _, err := os.Stat(filepath.Join(base, cell, "aggregate", sweep.AggregateJSONFile)); err != nil {
			t.Error(err)
		}
	}
	for _, gone := range []string{"isl_32__concurrency_1", "isl_16__concurrency_2"} {
		if _, err := os.Stat(filepath.Join(base, gone)); err == nil {
			t.Errorf("zip ran %s", gone)
		}
	}
	sum := testkit.ReadJSON[sweepSummary](t, filepath.Join(base, "sweep_aggregate", sweep.SweepJSONFile))
	if n := sum.Metadata.NumCombinations; n != 2 {
		t.Errorf("num_combinations %v, want 2", n)
	}
	if strings.Contains(stdout, "Sweep over") {
		t.Errorf("--no-sweep-table printed the table:\n%s", stdout)
	}
}

// Setting i of a sweep gets seed + i; --parameter-sweep-same-seed keeps the
// seed; --vary-seed-per-trial derives one per (setting, trial), the same
// every time for the same coordinates.
func TestRunSeed(t *testing.T) {
	var p options.Profile
	r := sweep.Run{Index: 3, Label: "concurrency=8", Trial: 2}
	if got := runSeed(42, r, p, true); got != 45 {
		t.Errorf("sweep seed %d, want 45", got)
	}
	if got := runSeed(42, r, p, false); got != 42 {
		t.Errorf("repeated runs' seed %d, want 42", got)
	}
	p.SweepSameSeed = true
	if got := runSeed(42, r, p, true); got != 42 {
		t.Errorf("--parameter-sweep-same-seed: seed %d, want 42", got)
	}
	p.VarySeedPerTrial = true
	a, b := runSeed(42, r, p, true), runSeed(42, r, p, true)
	r.Trial = 3
	c := runSeed(42, r, p, true)
	if a != b || a == c || a <= 0 || a == 42 {
		t.Errorf("--vary-seed-per-trial: %d, %d (trial 2 twice), %d (trial 3)", a, b, c)
	}
}

// --convergence-metric stops the repeated runs once the metric is stable:
// every run sends 4 requests, so request_count converges at AIPerf's
// minimum of three runs, before the cap of 6.
func TestProfileConvergence(t *testing.T) {
	stdout, base := profileOK(t, append(quickMock, "--num-profile-runs", "6",
		"--convergence-metric", "request_count", "--convergence-mode", "cv")...)
	if _, err := os.Stat(filepath.Join(base, "profile_runs", "run_0003", report.JSONFile)); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(base, "profile_runs", "run_0004")); err == nil {
		t.Error("a fourth run after convergence")
	}
	meta := testkit.ReadJSON[sweepAggregate](t, filepath.Join(base, "aggregate", sweep.AggregateJSONFile)).Metadata
	if meta.NumProfileRuns != 3 {
		t.Errorf("aggregate of %v runs, want 3", meta.NumProfileRuns)
	}
	if !strings.Contains(stdout, "converged, no more trials (request_count_avg: cv 0 < 0.05 after 3 runs)") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

// pareto-sweep: each isl/osl shape crossed with each --concurrency value,
// in AIPerf's order and directories, each run with its shape's fixed ISL.
func TestProfileParetoSweepRecipe(t *testing.T) {
	_, base := profileOK(t, append(quickMock, "--search-recipe", "pareto-sweep",
		"--isl-osl-pairs", "16/4, 32/8", "--concurrency", "1,2", "--isl-stddev", "3")...)
	combos := testkit.ReadJSON[sweepSummary](t, filepath.Join(base, "sweep_aggregate", sweep.SweepJSONFile)).PerCombination
	if len(combos) != 4 {
		t.Fatalf("%d combinations, want 4", len(combos))
	}
	for i, want := range [][3]int{{16, 4, 1}, {16, 4, 2}, {32, 8, 1}, {32, 8, 2}} {
		dir := filepath.Join(base, fmt.Sprintf("isl_%d__osl_%d__concurrency_%d", want[0], want[1], want[2]))
		ic := inputConfig(t, dir)
		in, out := ic.Input.Prompt.InputTokens, ic.Input.Prompt.OutputTokens
		if in.Mean != float64(want[0]) || in.Stddev != nil || out.Mean != float64(want[1]) || ic.Loadgen.Concurrency != float64(want[2]) {
			t.Errorf("%s ran with input %+v, output %+v, concurrency %v", dir, in, out, ic.Loadgen.Concurrency)
		}
		params := combos[i].Parameters
		if params["isl"] != float64(want[0]) || params["osl"] != float64(want[1]) || params["concurrency"] != float64(want[2]) {
			t.Errorf("combination %d is %v, want %v", i, params, want)
		}
	}
}

// max-concurrency-under-sla, grid style: AIPerf's 8 log-spaced concurrencies
// up to --concurrency-max (1..4 collapse to 1, 2, 3, 4), then the highest
// meeting the SLAs.
func TestProfileMaxConcurrencyUnderSLARecipe(t *testing.T) {
	stdout, base := profileOK(t, append(quickMock, "--search-recipe", "max-concurrency-under-sla",
		"--search-style", "grid", "--concurrency-max", "4", "--ttft-sla-ms", "60000", "--e2e-sla-ms", "60000")...)
	for _, c := range []int{1, 2, 3, 4} {
		if _, err := os.Stat(filepath.Join(base, fmt.Sprintf("concurrency_%d", c), report.JSONFile)); err != nil {
			t.Error(err)
		}
	}
	for _, want := range []string{"SLAs: [time_to_first_token p95 < 60000 request_latency p99 < 60000]", "every setting met every SLA, up to 4"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
}

// max-concurrency-under-sla in AIPerf's default style, smooth_isotonic: the
// mock meets the SLA at every load, so the search doubles from 1 to
// --concurrency-max, one probe a value, and stops finding no failure.
func TestProfileSmoothIsotonicSLASearch(t *testing.T) {
	stdout, base := profileOK(t, append(quickMock, "--search-recipe", "max-concurrency-under-sla",
		"--concurrency-max", "4", "--ttft-sla-ms", "60000")...)
	sum := testkit.ReadJSON[searchSummary](t, filepath.Join(base, sweep.SearchJSONFile))
	if sum.SearchStyle != "smooth_isotonic" || sum.FeasibleMax == nil || *sum.FeasibleMax != 4 || sum.ConvergenceReason != "smooth_isotonic_no_failure_in_range" ||
		len(sum.Probes) != 3 {
		t.Errorf("summary %+v", sum)
	}
	for i, c := range []int{1, 2, 4} {
		got := inputConfig(t, filepath.Join(base, fmt.Sprintf("search_iter_%04d", i), "profile_runs", "run_0001")).Loadgen.Concurrency
		if got != float64(c) {
			t.Errorf("probe %d ran at concurrency %v, want %d", i+1, got, c)
		}
	}
	if !strings.Contains(stdout, "Smooth-isotonic SLA search") || !strings.Contains(stdout, "highest concurrency meeting every SLA: 4") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

// max-concurrency-under-sla, monotonic style: the mock meets the SLA at
// every load, so the search doubles from 1 to --concurrency-max, two
// agreeing probes a value, and stops finding no failure.
func TestProfileMonotonicSLASearch(t *testing.T) {
	stdout, base := profileOK(t, append(quickMock, "--search-recipe", "max-concurrency-under-sla",
		"--search-style", "monotonic", "--concurrency-max", "4", "--ttft-sla-ms", "60000")...)
	sum := testkit.ReadJSON[searchSummary](t, filepath.Join(base, sweep.SearchJSONFile))
	if sum.FeasibleMax == nil || *sum.FeasibleMax != 4 || sum.ConvergenceReason != "monotonic_no_failure_in_range" || len(sum.Probes) != 6 {
		t.Errorf("summary %+v", sum)
	}
	for i, c := range []int{1, 1, 2, 2, 4, 4} {
		got := inputConfig(t, filepath.Join(base, fmt.Sprintf("search_iter_%04d", i), "profile_runs", "run_0001")).Loadgen.Concurrency
		if got != float64(c) {
			t.Errorf("probe %d ran at concurrency %v, want %d", i+1, got, c)
		}
	}
	if !strings.Contains(stdout, "highest concurrency meeting every SLA: 4") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

// --sweep-step-seconds: run k of the plan holds its profiling phase until
// --start-at + k steps, so shards started alike run each step together.
func TestProfileSweepSteps(t *testing.T) {
	at := time.Now().Add(time.Second).Truncate(time.Millisecond)
	stdout, base := profileOK(t, append(quickMock, "--concurrency", "1,2", "--num-profile-runs", "2",
		"--start-at", at.UTC().Format(time.RFC3339Nano), "--sweep-step-seconds", "0.5")...)
	// repeated order: trial 1 at concurrency 1 and 2, then trial 2
	for k, dir := range []string{"trial_0001/concurrency_1", "trial_0001/concurrency_2", "trial_0002/concurrency_1", "trial_0002/concurrency_2"} {
		first := int64(testkit.ReadJSON[runExport](t, filepath.Join(base, "profile_runs", dir, report.JSONFile)).MinRequestTimestamp.Avg)
		if slot := at.Add(time.Duration(k) * 500 * time.Millisecond); first < slot.UnixNano() {
			t.Errorf("%s: first request at %v, before its slot %v", dir, time.Unix(0, first), slot)
		}
	}
	code, _, stderr, _ := profileInDir(t, append(quickMock, "--concurrency", "1,2", "--sweep-step-seconds", "5")...)
	if code != 2 || !strings.Contains(stderr, "--sweep-step-seconds (AIPERF_SWEEP_STEP_SECONDS): needs --start-at") {
		t.Errorf("without --start-at: exit %d, %s", code, stderr)
	}
	// Each step may be 100 years, but the last run's slot must be too: it
	// is refused before any run, not as a clock overflow mid-sweep.
	code, stdout, stderr, base = profileInDir(t, append(quickMock, "--concurrency", "1,2,4", "--start-at", at.UTC().Format(time.RFC3339Nano),
		"--sweep-step-seconds", fmt.Sprint(90*365*24*3600))...)
	if code != 2 || !strings.Contains(stderr, "--sweep-step-seconds (AIPERF_SWEEP_STEP_SECONDS): run 2 of the plan would start") {
		t.Errorf("a slot beyond 100 years: exit %d\n%s\n%s", code, stdout, stderr)
	}
	_ = filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Name() == report.JSONFile {
			t.Errorf("a run was made before the plan was refused: %s", path)
		}
		return nil
	})
}

// report over shards of one sweep merges each setting across the shards
// and writes the sweep summary from the merged settings, in the plan's order.
func TestReportMergesSweepShards(t *testing.T) {
	var shards []string
	for i := 0; i < 2; i++ {
		args := append(quickMock, "--concurrency", "2,1", "--random-seed", fmt.Sprint(i+1))
		if i == 1 { // a shard's exports may be named by a prefix
			args = append(args, "--profile-export-prefix", "bench")
		}
		code, stdout, stderr, base := profileInDir(t, args...)
		if code != 0 {
			t.Fatalf("shard %d: exit %d\n%s\n%s", i, code, stdout, stderr)
		}
		shards = append(shards, base)
	}
	merged := filepath.Join(t.TempDir(), "merged")
	var out, errb bytes.Buffer
	if code := run([]string{"report", "--output", merged, shards[0], shards[1]}, &out, &errb); code != 0 {
		t.Fatalf("report: exit %d\n%s\n%s", code, out.String(), errb.String())
	}
	combos := testkit.ReadJSON[sweepSummary](t, filepath.Join(merged, "sweep_aggregate", sweep.SweepJSONFile)).PerCombination
	if len(combos) != 2 {
		t.Fatalf("%d settings in the summary, want 2", len(combos))
	}
	for i, c := range []int{2, 1} { // in the order the sweep ran them
		dir := filepath.Join(merged, fmt.Sprintf("concurrency_%d", c))
		n, ok := runFigure(t, dir, "request_count_avg")
		if !ok || n != 8 {
			t.Errorf("%s: %v requests, want both shards' 8", dir, n)
		}
		params, m := combos[i].Parameters, combos[i].Metrics["request_count_avg"]
		if params["concurrency"] != float64(c) || m.Mean == nil || *m.Mean != n {
			t.Errorf("combination %d: %v with %v requests, want concurrency %d with %v", i, params, m, c, n)
		}
	}
	// Shards of different sweeps do not merge.
	code, _, _, other := profileInDir(t, append(quickMock, "--concurrency", "1,4")...)
	if code != 0 {
		t.Fatal("third sweep failed")
	}
	errb.Reset()
	if code := run([]string{"report", "--output", t.TempDir(), shards[0], other}, &bytes.Buffer{}, &errb); code != 2 || !strings.Contains(errb.String(), "holds other settings") {
		t.Errorf("mismatched shards: exit %d, %s", code, errb.String())
	}
}

// `report DIR` over a sweep whose summary is gone rebuilds it as the live
// run wrote it, byte for byte: a --variant sweep (settings named by label,
// in the order given) and a recipe's sweep with its SLAs, whose verdicts
// the console gives again. Before, the variants were no setting
// directories and the SLAs were lost.
func TestReportRebuildsSweepSummary(t *testing.T) {
	for _, c := range []struct {
		name    string
		args    []string
		console string // where the console's verdicts start; "" for none
	}{
		{"variants", []string{"--variant", "low: concurrency=2", "--variant", "high: concurrency=1"}, ""},
		{"recipe SLAs", []string{"--search-recipe", "max-concurrency-under-sla", "--search-style", "grid", "--concurrency-max", "2", "--concurrency-steps", "2",
			"--ttft-sla-ms", "60000", "--search-sla", "request_latency:p99:lt:0.000001"}, "SLAs:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			stdout, base := profileOK(t, append(quickMock, c.args...)...)
			want := artifactTexts(t, base)
			if err := os.RemoveAll(filepath.Join(base, "sweep_aggregate")); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			if code := run([]string{"report", base}, &out, &errb); code != 0 {
				t.Fatalf("report: exit %d\n%s\n%s", code, out.String(), errb.String())
			}
			got := artifactTexts(t, base)
			for path, text := range want {
				if got[path] != text {
					t.Errorf("%s differs after report:\n%.2000s\nwant\n%.2000s", path, got[path], text)
				}
			}
			if len(got) != len(want) {
				t.Errorf("report wrote %d files, the run %d", len(got), len(want))
			}
			if c.console != "" {
				_, live, _ := strings.Cut(stdout, c.console)
				_, again, found := strings.Cut(out.String(), c.console)
				if !found || again != live {
					t.Errorf("report's verdicts:\n%s\nwant the run's:\n%s", again, live)
				}
			}
		})
	}
}

func TestPlanFromCells(t *testing.T) {
	plan, err := planFromCells("m", []string{"isl_128__concurrency_16", "isl_128__concurrency_2", "isl_64__concurrency_2"})
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	for _, c := range plan.Combos {
		cells = append(cells, plan.Cell(c))
	}
	if got := strings.Join(cells, " "); got != "isl_64__concurrency_2 isl_128__concurrency_2 isl_128__concurrency_16" {
		t.Errorf("cells in order: %s", got)
	}
	plan, err = planFromCells("m", []string{"request_rate_2.5", "request_rate_10.0"})
	if err != nil || plan.Params[0].Whole || plan.Cell(plan.Combos[1]) != "request_rate_10.0" {
		t.Errorf("rates: %+v, %v", plan, err)
	}
	for _, bad := range [][]string{{"concurrency_x"}, {"concurrency_NaN"}, {"request_rate_Inf"}, {"concurrency_1", "isl_2"}, {"concurrency_1", "concurrency_2__isl_3"}} {
		if _, err := planFromCells("m", bad); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

// A sweep with --profile-export-prefix reads each run's export under the
// prefixed name (before: every run finished, then the sweep failed looking
// for profile_export_aiperf.json).
func TestProfileSweepWithExportPrefix(t *testing.T) {
	_, base := profileOK(t, append(quickMock, "--concurrency", "1,2", "--profile-export-prefix", "mine")...)
	sum := testkit.ReadJSON[sweepSummary](t, filepath.Join(base, "sweep_aggregate", sweep.SweepJSONFile))
	if combos := sum.PerCombination; len(combos) != 2 {
		t.Errorf("%d settings in the summary, want 2", len(combos))
	}
	for _, c := range []int{1, 2} {
		if _, err := os.Stat(filepath.Join(base, fmt.Sprintf("concurrency_%d", c), "mine.json")); err != nil {
			t.Error(err)
		}
	}
}
