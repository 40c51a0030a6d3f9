package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// fakeServer is a run whose throughput peaks at concurrency 40 and whose
// TTFT p95 grows by 5 ms per request in flight; every run writes a few
// per-request records too.
func fakeServer(calls *[]Run) RunFunc {
	return func(ctx context.Context, r Run) error {
		*calls = append(*calls, r)
		if err := os.MkdirAll(r.Dir, 0o755); err != nil {
			return err
		}
		c := r.Combo[0]
		tput := 1000 - (c-40)*(c-40)/4
		b, _ := json.Marshal(map[string]any{
			"output_token_throughput": map[string]any{"unit": "tokens/sec", "avg": tput},
			"time_to_first_token":     map[string]any{"unit": "ms", "p95": 5 * c, "p50": 4 * c},
			"request_count":           map[string]any{"unit": "requests", "avg": 10},
		})
		if err := os.WriteFile(filepath.Join(r.Dir, report.JSONFile), b, 0o644); err != nil {
			return err
		}
		var lines []string
		for i := 1; i <= 4; i++ { // TTFT c, 2c, 3c, 4c ms; trial 2's are 10 ms later
			v := float64(i)*c + float64(10*(r.Trial-1))
			lines = append(lines, fmt.Sprintf(`{"metadata":{"benchmark_phase":"profiling"},"metrics":{"time_to_first_token":{"value":%g,"unit":"ms"}}}`, v))
		}
		lines = append(lines, `{"metadata":{"benchmark_phase":"warmup"},"metrics":{"time_to_first_token":{"value":1e9,"unit":"ms"}}}`)
		return os.WriteFile(filepath.Join(r.Dir, report.JSONLFile), []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	}
}

func adaptivePlan(base string, trials int, sla ...SLAFilter) Plan {
	conc := Param{Name: "concurrency", Whole: true}
	dim := Dim{Path: "phases.profiling.concurrency", Param: conc, Lo: 1, Hi: 100, Int: true}
	seed := int64(42)
	return Plan{Base: base, Params: []Param{conc}, Trials: trials, Level: 0.95, SLA: sla,
		Adaptive: &Adaptive{Planner: "bayesian", Metric: "output_token_throughput", Stat: "avg", Seed: &seed, JSONL: report.JSONLFile,
			Bayes: NewBayes([]Dim{dim}, true, 12, 4, 42)}}
}

// The search runs each iteration's trials into AIPerf's layout, finds the
// throughput peak, and records its trajectory as AIPerf's
// search_history.json, then the sweep summary of the settings run.
func TestAdaptiveSearchRuns(t *testing.T) {
	base := t.TempDir()
	var calls []Run
	var out bytes.Buffer
	p := adaptivePlan(base, 2)
	if err := Execute(context.Background(), p, fakeServer(&calls), &out); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 24 || calls[0].Dir != filepath.Join(base, "search_iter_0000", "profile_runs", "run_0001") ||
		calls[3].Dir != filepath.Join(base, "search_iter_0001", "profile_runs", "run_0002") || calls[3].Index != 1 {
		t.Fatalf("%d runs; first %+v, fourth %+v", len(calls), calls[0], calls[3])
	}
	h := readHistory(t, base)
	if h.ConvergenceReason != "max_iterations" || len(h.Iterations) != 12 {
		t.Errorf("stopped %v after %d", h.ConvergenceReason, len(h.Iterations))
	}
	cfg := h.Config
	if len(h.BestTrials) == 0 || len(cfg.SearchSpace) == 0 || len(cfg.Objectives) == 0 {
		t.Fatalf("history without a best trial, a search space or an objective: %+v", h)
	}
	best := h.BestTrials[0]
	if c := best.concurrency(t); math.Abs(c-40) > 6 || best.Feasible == nil || !*best.Feasible {
		t.Errorf("best %+v, want concurrency near 40", best)
	}
	space := cfg.SearchSpace[0]
	if cfg.Planner != "bayesian" || cfg.RandomSeed == nil || *cfg.RandomSeed != 42 || space.Lo != 1 || space.Kind != "int" ||
		cfg.Objectives[0].Direction != "maximize" {
		t.Errorf("config %+v", cfg)
	}
	if _, err := os.Stat(filepath.Join(base, "aggregate", "sweep_aggregate", SweepJSONFile)); err != nil {
		t.Error(err)
	}
	if !strings.Contains(out.String(), "Adaptive search (bayesian), 12 iterations, stopped: max_iterations") {
		t.Errorf("output:\n%s", out.String())
	}
}

// With an SLA (TTFT p95 under 100 ms: concurrency up to 19), the best is
// the best setting meeting it, and the boundary summary names both sides.
func TestAdaptiveSearchSLA(t *testing.T) {
	base := t.TempDir()
	var calls []Run
	p := adaptivePlan(base, 1, SLAFilter{Metric: "time_to_first_token", Stat: "p95", Op: "lt", Threshold: 100})
	if err := Execute(context.Background(), p, fakeServer(&calls), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	h := readHistory(t, base)
	bs := h.BoundarySummary
	if len(h.BestTrials) == 0 || bs == nil || bs.FeasibleMax == nil || bs.InfeasibleMin == nil || bs.InfeasibleMin.FirstBreach == nil {
		t.Fatalf("history without a best trial or both sides of the boundary: %+v", h)
	}
	best := h.BestTrials[0]
	if c := best.concurrency(t); c > 19 || c < 12 || best.Feasible == nil || !*best.Feasible {
		t.Errorf("best %+v, want the highest concurrency meeting the SLA, near 19", best)
	}
	hi, lo, breach := bs.FeasibleMax, bs.InfeasibleMin, bs.InfeasibleMin.FirstBreach
	if hi.Value > 19 || lo.Value < 20 || breach.MetricTag != "time_to_first_token" || breach.Observed == nil || *breach.Observed < 100 {
		t.Errorf("boundary: feasible max %+v, infeasible min %+v, breach %+v", *hi, *lo, *breach)
	}
	for _, it := range h.Iterations {
		if it.Feasible == nil || *it.Feasible != (it.concurrency(t) < 20) {
			t.Errorf("iteration judged wrongly: %+v", it)
		}
	}
}

// --search-percentile-pooling pooled: the objective is the percentile of
// every trial's requests together, not the mean of the trials' percentiles.
func TestAdaptivePooledPercentile(t *testing.T) {
	a := &Adaptive{Metric: "time_to_first_token", Stat: "p50", Pooled: true, JSONL: report.JSONLFile}
	base := t.TempDir()
	var calls []Run
	run := fakeServer(&calls)
	var dirs []string
	var exps []map[string]Value
	for trial := 1; trial <= 2; trial++ {
		r := Run{Dir: filepath.Join(base, fmt.Sprint(trial)), Combo: Combo{10}, Trial: trial}
		if err := run(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		exp, _ := ReadExport(r.Dir, "")
		dirs, exps = append(dirs, r.Dir), append(exps, exp)
	}
	// trial 1: 10 20 30 40, trial 2: 20 30 40 50 → pooled p50 30; mean of the exports' p50 (40) is 40.
	if got, _ := a.objective(exps, dirs); got != 30 {
		t.Errorf("pooled p50 %g, want 30", got)
	}
	a.Pooled = false
	if got, _ := a.objective(exps, dirs); got != 40 {
		t.Errorf("mean p50 %g, want 40", got)
	}
	a.Pooled = true
	if got, _ := a.objective(exps, []string{t.TempDir()}); got != 40 { // no records: the mean, as AIPerf falls back
		t.Errorf("without records %g, want the mean 40", got)
	}
}

// A failing run leaves its iteration without an objective; the search goes
// on, and a search where nothing finished fails.
func TestAdaptiveSearchFailures(t *testing.T) {
	base := t.TempDir()
	var calls []Run
	ok := fakeServer(&calls)
	run := func(ctx context.Context, r Run) error {
		if r.Index == 1 {
			return fmt.Errorf("boom")
		}
		return ok(ctx, r)
	}
	if err := Execute(context.Background(), adaptivePlan(base, 1), run, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	h := readHistory(t, base)
	if len(h.Iterations) < 2 {
		t.Fatalf("%d iterations, want the failed second one", len(h.Iterations))
	}
	it := h.Iterations[1]
	if it.ObjectiveValues == nil || len(it.ObjectiveValues) != 0 || it.Feasible == nil || *it.Feasible || len(it.Failed) == 0 || string(it.Failed) == "null" {
		t.Errorf("failed iteration %+v (failed %s)", it, it.Failed)
	}
	err := Execute(context.Background(), adaptivePlan(t.TempDir(), 1), func(context.Context, Run) error { return fmt.Errorf("down") }, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "down") {
		t.Errorf("nothing finished: %v", err)
	}
}
