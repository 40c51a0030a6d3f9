package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

func runsOf(key string, values ...float64) []map[string]Value {
	var out []map[string]Value
	for _, v := range values {
		out = append(out, map[string]Value{key: {V: v, Unit: "ms"}})
	}
	return out
}

// AIPerf's rules: three runs at least, a mean other than 0, then the
// relative interval width (ci_width) or std over mean (cv) below the
// threshold, each mode with its own default threshold.
func TestConverged(t *testing.T) {
	for _, c := range []struct {
		name   string
		conv   Convergence
		values []float64
		want   bool
	}{
		{"two runs are too few", Convergence{Mode: "ci_width"}, []float64{100, 100}, false},
		{"three equal runs", Convergence{Mode: "ci_width"}, []float64{100, 100, 100}, true},
		// mean 100, std 1: t(0.975, 2) = 4.303, width 2*4.303/sqrt(3) = 4.97% of the mean
		{"ci_width below 0.10", Convergence{Mode: "ci_width"}, []float64{99, 100, 101}, true},
		{"ci_width above 0.04", Convergence{Mode: "ci_width", Threshold: 0.04}, []float64{99, 100, 101}, false},
		// std 10 over mean 100: cv 0.10, above cv's default 0.05
		{"cv above its default", Convergence{Mode: "cv"}, []float64{90, 100, 110}, false},
		{"cv below 0.2", Convergence{Mode: "cv", Threshold: 0.2}, []float64{90, 100, 110}, true},
		{"mean 0", Convergence{Mode: "cv", Threshold: 0.5}, []float64{0, 0, 0}, false},
	} {
		c.conv.Metric, c.conv.Stat, c.conv.Level = "time_to_first_token", "avg", 0.95
		if got, why := c.conv.Converged(runsOf("time_to_first_token_avg", c.values...)); got != c.want {
			t.Errorf("%s: converged %v (%s), want %v", c.name, got, why, c.want)
		}
	}
	other := Convergence{Metric: "request_latency", Stat: "avg", Mode: "cv", Threshold: 0.5, Level: 0.95}
	if ok, _ := other.Converged(runsOf("time_to_first_token_avg", 1, 1, 1)); ok {
		t.Error("converged on a metric the runs do not have")
	}
}

// A setting stops its trials once converged; the other goes on to the cap.
func TestExecuteStopsConvergedSetting(t *testing.T) {
	base := t.TempDir()
	ran := map[float64]int{}
	run := func(ctx context.Context, r Run) error {
		v := r.Combo[0]
		ran[v]++
		ttft := 100.0 // concurrency 1: the same every run
		if v == 2 {
			ttft = 100 + 50*float64(r.Trial%2) // concurrency 2: never settles
		}
		if err := os.MkdirAll(r.Dir, 0o755); err != nil {
			return err
		}
		b, _ := json.Marshal(map[string]any{"time_to_first_token": map[string]any{"unit": "ms", "avg": ttft, "p99": ttft}})
		return os.WriteFile(filepath.Join(r.Dir, report.JSONFile), b, 0o644)
	}
	p := concurrencyPlan(base, 1, 2)
	p.Trials = 6
	p.Converge = &Convergence{Metric: "time_to_first_token", Stat: "avg", Mode: "ci_width", Level: 0.95}
	var out bytes.Buffer
	if err := Execute(context.Background(), p, run, &out); err != nil {
		t.Fatal(err)
	}
	if ran[1] != 3 || ran[2] != 6 {
		t.Errorf("runs: %v, want 3 at concurrency 1 (converged) and 6 at 2", ran)
	}
	if !strings.Contains(out.String(), "concurrency_1: converged") {
		t.Errorf("output:\n%s", out.String())
	}
	agg := readAggregate(t, filepath.Join(base, "aggregate", "concurrency_1"))
	if agg.Metadata.NumProfileRuns != 3 {
		t.Errorf("aggregate of concurrency 1 counts %d runs, want 3", agg.Metadata.NumProfileRuns)
	}
}

func readAggregate(t *testing.T, dir string) aggregate {
	t.Helper()
	return testkit.ReadJSON[aggregate](t, filepath.Join(dir, AggregateJSONFile))
}
