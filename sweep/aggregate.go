package sweep

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// The files AIPerf writes for repeated runs and for a sweep.
const (
	AggregateJSONFile = "profile_export_aiperf_aggregate.json"
	AggregateCSVFile  = "profile_export_aiperf_aggregate.csv"
	SweepJSONFile     = "profile_export_aiperf_sweep.json"
	SweepCSVFile      = "profile_export_aiperf_sweep.csv"
)

// MarshalJSON writes a non-finite figure (cv at mean 0) as null: JSON has no
// Infinity.
func (s Stat) MarshalJSON() ([]byte, error) {
	f := func(x float64) *float64 {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil
		}
		return &x
	}
	return json.Marshal(struct {
		Mean      *float64 `json:"mean"`
		Std       *float64 `json:"std"`
		Min       *float64 `json:"min"`
		Max       *float64 `json:"max"`
		CV        *float64 `json:"cv"`
		SE        *float64 `json:"se"`
		CILow     *float64 `json:"ci_low"`
		CIHigh    *float64 `json:"ci_high"`
		TCritical *float64 `json:"t_critical"`
		Unit      string   `json:"unit"`
	}{f(s.Mean), f(s.Std), f(s.Min), f(s.Max), f(s.CV), f(s.SE), f(s.CILow), f(s.CIHigh), f(s.TCritical), s.Unit})
}

// meanOnly is a figure of a single-trial sweep: AIPerf then writes only the
// mean and the unit.
type meanOnly struct {
	Mean float64 `json:"mean"`
	Unit string  `json:"unit"`
}

// stats summarises every figure the runs of a cell all have: the confidence
// statistics with two runs or more, the one value otherwise.
func stats(c *cell, level float64) map[string]Stat {
	out := map[string]Stat{}
	for key, v0 := range c.runs[0] {
		values := []float64{v0.V}
		for _, r := range c.runs[1:] {
			v, ok := r[key]
			if !ok {
				break
			}
			values = append(values, v.V)
		}
		switch {
		case len(values) != len(c.runs):
			continue // a figure some runs lack (no errors in one run) has no interval
		case len(values) == 1:
			out[key] = Stat{Mean: v0.V, Unit: v0.Unit}
		default:
			out[key] = Confidence(values, level, v0.Unit)
		}
	}
	return out
}

// runTally opens both of AIPerf's aggregates: which kind, and how many runs
// of the settings it covers finished.
type runTally struct {
	AggregationType   string   `json:"aggregation_type"`
	NumProfileRuns    int      `json:"num_profile_runs"`
	NumSuccessfulRuns int      `json:"num_successful_runs"`
	FailedRuns        []Failed `json:"failed_runs"`
}

// add counts the runs of one setting.
func (t *runTally) add(c *cell) {
	t.NumProfileRuns += len(c.runs) + len(c.failed)
	t.NumSuccessfulRuns += len(c.runs)
	t.FailedRuns = append(t.FailedRuns, c.failed...)
}

// aggregate is AIPerf's confidence aggregate of one setting's repeated runs.
type aggregate struct {
	Metadata struct {
		runTally
		ConfidenceLevel float64  `json:"confidence_level"`
		RunLabels       []string `json:"run_labels"`
	} `json:"metadata"`
	Metrics map[string]Stat `json:"metrics"`
}

func newAggregate(p Plan, c *cell) *aggregate {
	a := &aggregate{Metrics: stats(c, p.Level)}
	m := &a.Metadata
	m.runTally = runTally{AggregationType: "confidence", FailedRuns: []Failed{}}
	m.add(c)
	m.ConfidenceLevel, m.RunLabels = p.Level, c.labels
	return a
}

// write writes the aggregate's JSON and CSV into dir.
func (a *aggregate) write(dir string) error {
	rows := [][]string{{"Metric", "mean", "std", "min", "max", "cv", "se", "ci_low", "ci_high", "t_critical", "unit"}}
	for _, k := range slices.Sorted(maps.Keys(a.Metrics)) {
		s := a.Metrics[k]
		rows = append(rows, []string{k, num(s.Mean), num(s.Std), num(s.Min), num(s.Max), num(s.CV), num(s.SE), num(s.CILow), num(s.CIHigh), num(s.TCritical), s.Unit})
	}
	return writeExports(dir, AggregateJSONFile, a, AggregateCSVFile, rows)
}

// headline are the figures printed on the console, in this order.
var headline = []string{
	"request_throughput_avg", "output_token_throughput_avg", "output_token_throughput_per_user_avg",
	"time_to_first_token_p50", "time_to_first_token_p99", "inter_token_latency_p50", "inter_token_latency_p99",
	"request_latency_p50", "request_latency_p99",
}

// print writes the headline figures with their intervals.
func (a *aggregate) print(w io.Writer, name string) {
	m := a.Metadata
	fmt.Fprintf(w, "\nAcross %d of %d runs (%s), %g%% confidence:\n", m.NumSuccessfulRuns, m.NumProfileRuns, orAll(name), m.ConfidenceLevel*100)
	fmt.Fprintf(w, "  %-38s %12s %12s %12s %12s %8s\n", "metric", "mean", "std", "ci_low", "ci_high", "cv")
	for _, k := range headline {
		if s, ok := a.Metrics[k]; ok {
			fmt.Fprintf(w, "  %-38s %12.2f %12.2f %12.2f %12.2f %8.3f\n", k+" ("+s.Unit+")", s.Mean, s.Std, s.CILow, s.CIHigh, s.CV)
		}
	}
	for _, f := range m.FailedRuns {
		fmt.Fprintf(w, "  failed: %s: %s\n", f.Label, f.Error)
	}
}

func num(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return ""
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// writeExports writes v as JSON and rows as CSV, the two files of an
// aggregate or a sweep summary, into dir.
func writeExports(dir, jsonFile string, v any, csvFile string, rows [][]string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if err := writeJSON(filepath.Join(dir, jsonFile), v); err != nil {
		return err
	}
	return writeCSV(filepath.Join(dir, csvFile), rows)
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func writeCSV(path string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	err = w.WriteAll(rows)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
