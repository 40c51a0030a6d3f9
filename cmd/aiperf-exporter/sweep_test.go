package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	code, stdout, stderr, base := profileInDir(t, append(quickMock, "--concurrency", "1,2,4,8", "--goodput", "time_to_first_token:10000")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	values := []int{1, 2, 4, 8}
	dirs := map[int]string{}
	for _, c := range values {
		dirs[c] = filepath.Join(base, fmt.Sprintf("concurrency_%d", c))
		for _, f := range []string{report.JSONFile, report.CSVFile, report.JSONLFile, report.InputsFile} {
			if _, err := os.Stat(filepath.Join(dirs[c], f)); err != nil {
				t.Errorf("run at concurrency %d: %v", c, err)
			}
		}
		doc := readJSON(t, filepath.Join(dirs[c], report.JSONFile))
		loadgen := doc["input_config"].(map[string]any)["loadgen"].(map[string]any)
		if loadgen["concurrency"] != float64(c) {
			t.Errorf("run %s ran at concurrency %v", dirs[c], loadgen["concurrency"])
		}
		raw, _ := os.ReadFile(filepath.Join(dirs[c], report.JSONFile))
		if want := fmt.Sprintf("--concurrency %d --goodput", c); !strings.Contains(string(raw), want) {
			t.Errorf("run %s: its cli_command does not say %q", dirs[c], want)
		}
	}

	// The summary holds every run's own figures, as its JSON export says.
	sum := readJSON(t, filepath.Join(base, "sweep_aggregate", sweep.SweepJSONFile))
	if sum["aggregation_type"] != "sweep" || sum["num_successful_runs"] != 4.0 {
		t.Errorf("summary header: %v, %v", sum["aggregation_type"], sum["num_successful_runs"])
	}
	combos := sum["per_combination_metrics"].([]any)
	if len(combos) != len(values) {
		t.Fatalf("%d combinations, want %d", len(combos), len(values))
	}
	bestThroughput, bestC := -1.0, 0
	for i, raw := range combos {
		combo := raw.(map[string]any)
		c := int(combo["parameters"].(map[string]any)["concurrency"].(float64))
		if c != values[i] {
			t.Errorf("combination %d is concurrency %d, want %d", i, c, values[i])
		}
		metrics := combo["metrics"].(map[string]any)
		for _, figure := range []string{"request_throughput_avg", "output_token_throughput_avg", "output_token_throughput_per_user_avg", "output_token_throughput_per_user_p50",
			"time_to_first_token_p50", "time_to_first_token_p99", "inter_token_latency_p99", "request_count_avg", "good_request_count_avg"} {
			want, ok := runFigure(t, dirs[c], figure)
			if !ok {
				t.Errorf("concurrency %d: the run's export has no %s", c, figure)
				continue
			}
			m, ok := metrics[figure].(map[string]any)
			if !ok || !near(m["mean"].(float64), want) {
				t.Errorf("concurrency %d: summary %s = %v, the run's export says %v", c, figure, metrics[figure], want)
			}
		}
		if len(metrics) < 50 {
			t.Errorf("concurrency %d: only %d figures summarised", c, len(metrics))
		}
		if x, _ := runFigure(t, dirs[c], "request_throughput_avg"); x > bestThroughput {
			bestThroughput, bestC = x, c
		}
	}
	best := sum["best_configurations"].(map[string]any)["best_throughput"].(map[string]any)
	if best["parameters"].(map[string]any)["concurrency"] != float64(bestC) || !near(best["metric"].(float64), bestThroughput) {
		t.Errorf("best throughput %v, want concurrency %d at %v", best, bestC, bestThroughput)
	}
	if len(sum["pareto_optimal"].([]any)) == 0 {
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
	code, stdout, stderr, base := profileInDir(t, append(quickMock, "--concurrency", "2", "--num-profile-runs", "3", "--confidence-level", "0.9")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	agg := readJSON(t, filepath.Join(base, "aggregate", sweep.AggregateJSONFile))
	meta := agg["metadata"].(map[string]any)
	if meta["aggregation_type"] != "confidence" || meta["num_successful_runs"] != 3.0 || meta["confidence_level"] != 0.9 {
		t.Errorf("metadata %v", meta)
	}
	metrics := agg["metrics"].(map[string]any)
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
		got := metrics[figure].(map[string]any)
		for k, want := range map[string]float64{"mean": mean, "std": std, "ci_low": mean - t90df2*std/math.Sqrt(3), "ci_high": mean + t90df2*std/math.Sqrt(3)} {
			if g := got[k].(float64); math.Abs(g-want) > 1e-5*math.Max(1, math.Abs(want)) {
				t.Errorf("%s %s = %v, want %v (runs %v)", figure, k, g, want, xs)
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
	code, stdout, stderr, base := profileInDir(t, append(quickMock, "--request-rate", "50,100", "--num-profile-runs", "2")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, p := range []string{
		"profile_runs/trial_0001/request_rate_50.0/" + report.JSONFile, "profile_runs/trial_0002/request_rate_100.0/" + report.JSONFile,
		"aggregate/request_rate_50.0/" + sweep.AggregateJSONFile, "aggregate/request_rate_100.0/" + sweep.AggregateCSVFile,
		"aggregate/sweep_aggregate/" + sweep.SweepJSONFile,
	} {
		if _, err := os.Stat(filepath.Join(base, p)); err != nil {
			t.Error(err)
		}
	}
	sum := readJSON(t, filepath.Join(base, "aggregate", "sweep_aggregate", sweep.SweepJSONFile))
	m := sum["per_combination_metrics"].([]any)[1].(map[string]any)["metrics"].(map[string]any)["request_count_avg"].(map[string]any)
	if m["mean"] != 4.0 || m["t_critical"] == nil {
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
		{[]string{"--concurrency", "1,2", "--request-rate", "3,4"}, `sweep one of --concurrency and --request-rate at a time`},
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
	code, stdout, stderr, base := profileInDir(t, quickMock...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	for _, c := range []int{1, 2} {
		doc := readJSON(t, filepath.Join(base, fmt.Sprintf("concurrency_%d", c), report.JSONFile))
		if got := doc["input_config"].(map[string]any)["loadgen"].(map[string]any)["concurrency"]; got != float64(c) {
			t.Errorf("run concurrency_%d ran at concurrency %v", c, got)
		}
	}
	if _, err := os.Stat(filepath.Join(base, "sweep_aggregate", sweep.SweepJSONFile)); err != nil {
		t.Error(err)
	}

	t.Setenv("AIPERF_CONCURRENCY", "1,two")
	code, _, stderr, _ = profileInDir(t, quickMock...)
	if want := `(AIPERF_CONCURRENCY): list "1,two": "two" is not a number`; code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, want)
	}
}
