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

	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// fakeRun writes a JSON export whose throughput is 10 × the value, and fails
// at the values in fail.
func fakeRun(fail map[float64]bool) RunFunc {
	return func(ctx context.Context, dir string, v float64) error {
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
	p := Plan{Base: base, Param: &Param{Name: "concurrency", Values: []float64{1, 2, 4}}, Trials: 1, Level: 0.95}
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
		{Plan{Base: "b", Param: &Param{Name: "concurrency"}, Trials: 1}, "b/concurrency_8", "b/aggregate/concurrency_8", "b/sweep_aggregate"},
		{Plan{Base: "b", Trials: 3}, "b/profile_runs/run_0002", "b/aggregate", ""}, // no sweep: no sweep summary
		{Plan{Base: "b", Param: &Param{Name: "concurrency"}, Trials: 3}, "b/profile_runs/trial_0002/concurrency_8", "b/aggregate/concurrency_8", "b/aggregate/sweep_aggregate"},
		{Plan{Base: "b", Param: &Param{Name: "request_rate"}, Trials: 1}, "b/request_rate_8.0", "b/aggregate/request_rate_8.0", "b/sweep_aggregate"},
	} {
		if got := c.plan.RunDir(2, 8); got != c.run {
			t.Errorf("RunDir = %s, want %s", got, c.run)
		}
		if got := c.plan.AggregateDir(8); got != c.agg {
			t.Errorf("AggregateDir = %s, want %s", got, c.agg)
		}
		if got := c.plan.SweepDir(); c.sweep != "" && got != c.sweep {
			t.Errorf("SweepDir = %s, want %s", got, c.sweep)
		}
	}
	if got := (Plan{Param: &Param{Name: "request_rate"}}).Cell(2.5); got != "request_rate_2.5" {
		t.Errorf("Cell(2.5) = %s", got)
	}
}

// Ctrl-C during a run: that run's report counts, no later run starts.
func TestExecuteInterrupted(t *testing.T) {
	base := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := 0
	write := fakeRun(nil)
	run := func(ctx context.Context, dir string, v float64) error {
		ran++
		if v == 2 {
			cancel() // as Ctrl-C during the second run
		}
		return write(ctx, dir, v)
	}
	p := Plan{Base: base, Param: &Param{Name: "concurrency", Values: []float64{1, 2, 4}}, Trials: 1, Level: 0.95}
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
