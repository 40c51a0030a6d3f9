package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// fakeRun writes a JSON export whose throughput is 10 × the value, and fails
// at the values in fail.
func fakeRun(fail map[float64]bool) RunFunc {
	return func(ctx context.Context, r Run) error {
		dir, v := r.Dir, 0.0
		if len(r.Combo) > 0 {
			v = r.Combo[0]
		}
		if fail[v] {
			return fmt.Errorf("server gone at %g", v)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		b, _ := json.Marshal(map[string]any{
			"schema_version":      "1.1",
			"request_throughput":  map[string]any{"unit": "requests/sec", "avg": 10 * v},
			"time_to_first_token": map[string]any{"unit": "ms", "avg": 20 + v, "p99": 30 + v*v},
			"input_config":        map[string]any{"loadgen": map[string]any{"concurrency": v}},
		})
		return os.WriteFile(filepath.Join(dir, report.JSONFile), b, 0o644)
	}
}

func TestExecuteFailedRun(t *testing.T) {
	base := t.TempDir()
	p := concurrencyPlan(base, 1, 2, 4)
	var out bytes.Buffer
	err := Execute(context.Background(), p, fakeRun(map[float64]bool{2: true}), &out)
	if err == nil || !strings.Contains(err.Error(), "1 of 3 runs failed") || !strings.Contains(err.Error(), "server gone at 2") {
		t.Fatalf("err = %v, want one of three failed", err)
	}
	b, err := os.ReadFile(filepath.Join(base, "sweep_aggregate", SweepJSONFile))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		NumRuns  int      `json:"num_profile_runs"`
		NumOK    int      `json:"num_successful_runs"`
		Failed   []Failed `json:"failed_runs"`
		PerCombo []combination
		Pareto   []map[string]float64 `json:"pareto_optimal"`
		Combos   []map[string]any     `json:"per_combination_metrics"`
		Best     map[string]best      `json:"best_configurations"`
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.NumRuns != 3 || sum.NumOK != 2 || len(sum.Failed) != 1 || sum.Failed[0].Label != "trial_0001" || len(sum.Combos) != 2 {
		t.Errorf("summary %+v", sum)
	}
	// 4 has the most throughput, 1 the least TTFT p99: both are Pareto optimal.
	if len(sum.Pareto) != 2 || sum.Pareto[0]["concurrency"] != 1 || sum.Pareto[1]["concurrency"] != 4 {
		t.Errorf("pareto %v", sum.Pareto)
	}
	if sum.Best["best_throughput"].Metric != 40 || sum.Best["best_latency_p99"].Metric != 31 {
		t.Errorf("best %+v", sum.Best)
	}
}

func TestExecuteNothingFinished(t *testing.T) {
	p := Plan{Base: t.TempDir(), Trials: 2, Level: 0.95}
	err := Execute(context.Background(), p, fakeRun(map[float64]bool{0: true}), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "server gone") {
		t.Errorf("err = %v", err)
	}
	if _, serr := os.Stat(filepath.Join(p.Base, "aggregate")); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("an aggregate of no runs was written: %v", serr)
	}
}

func TestPlanLayout(t *testing.T) {
	for _, c := range []struct {
		plan            Plan
		run, agg, sweep string
	}{
		{Plan{Base: "b", Params: []Param{{Name: "concurrency", Whole: true}}, Trials: 1}, "b/concurrency_8", "b/aggregate/concurrency_8", "b/sweep_aggregate"},
		{Plan{Base: "b", Trials: 3}, "b/profile_runs/run_0002", "b/aggregate", ""}, // no sweep: no sweep summary
		{Plan{Base: "b", Params: []Param{{Name: "concurrency", Whole: true}}, Trials: 3}, "b/profile_runs/trial_0002/concurrency_8", "b/aggregate/concurrency_8", "b/aggregate/sweep_aggregate"},
		{Plan{Base: "b", Params: []Param{{Name: "concurrency", Whole: true}}, Trials: 3, Independent: true}, "b/concurrency_8/profile_runs/trial_0002", "b/concurrency_8/aggregate", "b/sweep_aggregate"},
		{Plan{Base: "b", Params: []Param{{Name: "request_rate"}}, Trials: 1}, "b/request_rate_8.0", "b/aggregate/request_rate_8.0", "b/sweep_aggregate"},
	} {
		c8 := Combo{8}
		if len(c.plan.Params) == 0 {
			c8 = nil
		}
		if got := c.plan.RunDir(2, c8); got != c.run {
			t.Errorf("RunDir = %s, want %s", got, c.run)
		}
		if got := c.plan.AggregateDir(c8); got != c.agg {
			t.Errorf("AggregateDir = %s, want %s", got, c.agg)
		}
		if got := c.plan.SweepDir(); c.sweep != "" && got != c.sweep {
			t.Errorf("SweepDir = %s, want %s", got, c.sweep)
		}
	}
	if got := (Plan{Params: []Param{{Name: "request_rate"}}}).Cell(Combo{2.5}); got != "request_rate_2.5" {
		t.Errorf("Cell(2.5) = %s", got)
	}
	two := Plan{Params: []Param{{Name: "concurrency", Whole: true}, {Name: "isl", Whole: true}}}
	if got := two.Cell(Combo{4, 128}); got != "concurrency_4__isl_128" {
		t.Errorf("Cell(4, 128) = %s", got)
	}
	if got := two.Label(Combo{4, 128}); got != "concurrency=4, isl=128" {
		t.Errorf("Label(4, 128) = %s", got)
	}
}

// Ctrl-C during a run: that run's report counts, no later run starts.
func TestExecuteInterrupted(t *testing.T) {
	base := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := 0
	write := fakeRun(nil)
	run := func(ctx context.Context, r Run) error {
		ran++
		if r.Combo[0] == 2 {
			cancel() // as Ctrl-C during the second run
		}
		return write(ctx, r)
	}
	p := concurrencyPlan(base, 1, 2, 4)
	if err := Execute(ctx, p, run, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if ran != 2 {
		t.Errorf("%d runs started, want 2", ran)
	}
	b, err := os.ReadFile(filepath.Join(base, "sweep_aggregate", SweepJSONFile))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"num_successful_runs": 2`) || !strings.Contains(string(b), `"failed_runs": []`) {
		t.Errorf("summary: %.300s", b)
	}
}

// concurrencyPlan is a one-trial sweep of concurrency over values.
func concurrencyPlan(base string, values ...float64) Plan {
	params := []Param{{Name: "concurrency", Values: values, Whole: true}}
	return Plan{Base: base, Params: params, Combos: Grid(params), Trials: 1, Level: 0.95}
}

func TestGridAndZip(t *testing.T) {
	params := []Param{{Name: "concurrency", Values: []float64{1, 2}}, {Name: "isl", Values: []float64{8, 16, 32}}}
	if got := fmt.Sprint(Grid(params)); got != "[[1 8] [1 16] [1 32] [2 8] [2 16] [2 32]]" {
		t.Errorf("Grid = %s", got)
	}
	if _, err := Zip(params); err == nil || !strings.Contains(err.Error(), "concurrency has 2 values, isl has 3") {
		t.Errorf("Zip of unequal lists: %v", err)
	}
	params[1].Values = []float64{8, 16}
	if got, err := Zip(params); err != nil || fmt.Sprint(got) != "[[1 8] [2 16]]" {
		t.Errorf("Zip = %v, %v", got, err)
	}
}

// The order of runs, and the cooldown before each: repeated order waits the
// run cooldown at a new trial and the sweep cooldown between settings;
// independent order the other way round.
func TestExecuteOrderAndCooldowns(t *testing.T) {
	for _, c := range []struct {
		independent bool
		want        string
	}{
		{false, "t1 c1 (first), t1 c2 (sweep), t2 c1 (run), t2 c2 (sweep)"},
		{true, "t1 c1 (first), t2 c1 (run), t1 c2 (sweep), t2 c2 (run)"},
	} {
		p := concurrencyPlan(t.TempDir(), 1, 2)
		p.Trials, p.Independent, p.RunCooldown, p.SweepCooldown = 2, c.independent, 1, 2
		var got []string
		prevTrial, prevCell := 0, -1
		write := fakeRun(nil)
		run := func(ctx context.Context, r Run) error {
			why := "first"
			if prevCell >= 0 {
				why = map[time.Duration]string{1: "run", 2: "sweep"}[p.cooldown(prevTrial, prevCell, r.Trial, r.Index)]
			}
			prevTrial, prevCell = r.Trial, r.Index
			got = append(got, fmt.Sprintf("t%d c%g (%s)", r.Trial, r.Combo[0], why))
			return write(ctx, r)
		}
		if err := Execute(context.Background(), p, run, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		if s := strings.Join(got, ", "); s != c.want {
			t.Errorf("independent %v: %s, want %s", c.independent, s, c.want)
		}
	}
}

// Step counts every planned run in plan order, so a slot does not move when
// an earlier run is skipped.
func TestPlanStep(t *testing.T) {
	p := concurrencyPlan("b", 1, 2, 4)
	p.Trials = 2
	if got := p.Step(Run{Index: 1, Trial: 2}); got != 4 { // repeated: trial 2's second setting
		t.Errorf("repeated order: step %d, want 4", got)
	}
	p.Independent = true
	if got := p.Step(Run{Index: 1, Trial: 2}); got != 3 { // independent: second setting's trial 2
		t.Errorf("independent order: step %d, want 3", got)
	}
}
