package sweep

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// summary is AIPerf's sweep aggregate: every value's figures, the best
// values for throughput and latency, and the Pareto optimal values.
type summary struct {
	runTally
	Metadata       sweepMetadata    `json:"metadata"`
	PerCombination []combination    `json:"per_combination_metrics"`
	Best           map[string]best  `json:"best_configurations"`
	Pareto         []map[string]any `json:"pareto_optimal"`

	params []Param
	trials int
	stats  []map[string]Stat // per combination, for the CSV, console and plots
	combos []Combo           // per combination, its setting
}

type sweepMetadata struct {
	SweepParameters []sweepParameter `json:"sweep_parameters"`
	NumCombinations int              `json:"num_combinations"`
}

type sweepParameter struct {
	Name   string `json:"name"`
	Values []any  `json:"values"`
}

type combination struct {
	Parameters map[string]any `json:"parameters"`
	Metrics    map[string]any `json:"metrics"`
}

type best struct {
	Parameters map[string]any `json:"parameters"`
	Metric     float64        `json:"metric"`
	Unit       string         `json:"unit"`
}

// The objectives of AIPerf's best configurations and Pareto front: the most
// request throughput, the least TTFT p99 (request latency p99 without TTFT).
const (
	throughputKey = "request_throughput_avg"
	latencyKey    = "time_to_first_token_p99"
	latencyAltKey = "request_latency_p99"
)

// value is a swept value as AIPerf writes it in JSON: an int for
// concurrency, isl and the other whole settings.
func (p Param) value(v float64) any {
	if p.Labels != nil {
		return p.Labels[int(v)]
	}
	if p.Whole {
		return int(v)
	}
	return v
}

// parameters is a setting as the summary's JSON names it: {"concurrency": 4, "isl": 128}.
func parameters(params []Param, c Combo) map[string]any {
	out := make(map[string]any, len(params))
	for i, p := range params {
		out[p.Name] = p.value(c[i])
	}
	return out
}

// names lists the swept settings' names.
func (s *summary) names() []string {
	out := make([]string, len(s.params))
	for i, p := range s.params {
		out[i] = p.Name
	}
	return out
}

// columns are the setting's values in the CSV's columns.
func (s *summary) columns(params map[string]any) []string {
	out := make([]string, len(s.params))
	for i, p := range s.params {
		out[i] = fmt.Sprint(params[p.Name])
	}
	return out
}

// label writes a setting for the console: 4, or concurrency=4 isl=128.
func (s *summary) label(params map[string]any) string {
	if len(s.params) == 1 {
		return fmt.Sprint(params[s.params[0].Name])
	}
	parts := make([]string, len(s.params))
	for i, p := range s.params {
		parts[i] = fmt.Sprintf("%s=%v", p.Name, params[p.Name])
	}
	return strings.Join(parts, " ")
}

func newSummary(p Plan, cells []*cell) *summary {
	s := &summary{runTally: runTally{AggregationType: "sweep", FailedRuns: []Failed{}}, Best: map[string]best{}, Pareto: []map[string]any{}, params: p.Params, trials: p.Trials}
	for _, c := range cells {
		s.add(c)
		if len(c.runs) == 0 {
			continue
		}
		st := stats(c, p.Level)
		metrics := map[string]any{}
		for k, v := range st {
			if p.Trials > 1 && len(c.runs) > 1 {
				metrics[k] = v
			} else {
				metrics[k] = meanOnly{Mean: v.Mean, Unit: v.Unit}
			}
		}
		s.PerCombination = append(s.PerCombination, combination{Parameters: parameters(p.Params, c.combo), Metrics: metrics})
		s.stats = append(s.stats, st)
		s.combos = append(s.combos, c.combo)
	}
	s.Metadata = sweepMetadata{NumCombinations: len(cells)}
	for _, param := range p.Params {
		sp := sweepParameter{Name: param.Name}
		for _, v := range param.Values {
			sp.Values = append(sp.Values, param.value(v))
		}
		s.Metadata.SweepParameters = append(s.Metadata.SweepParameters, sp)
	}
	s.pickBest()
	for _, i := range s.paretoFront() {
		s.Pareto = append(s.Pareto, s.PerCombination[i].Parameters)
	}
	return s
}

// latency is the latency objective of combination i.
func (s *summary) latency(i int) (Stat, bool) {
	if st, ok := s.stats[i][latencyKey]; ok {
		return st, true
	}
	st, ok := s.stats[i][latencyAltKey]
	return st, ok
}

func (s *summary) pickBest() {
	bt, bl := -1, -1
	for i := range s.stats {
		if t, ok := s.stats[i][throughputKey]; ok && (bt < 0 || t.Mean > s.stats[bt][throughputKey].Mean) {
			bt = i
		}
		if l, ok := s.latency(i); ok {
			if cur, _ := s.latency(max(bl, 0)); bl < 0 || l.Mean < cur.Mean {
				bl = i
			}
		}
	}
	if bt >= 0 {
		t := s.stats[bt][throughputKey]
		s.Best["best_throughput"] = best{s.PerCombination[bt].Parameters, t.Mean, t.Unit}
	}
	if bl >= 0 {
		l, _ := s.latency(bl)
		s.Best["best_latency_p99"] = best{s.PerCombination[bl].Parameters, l.Mean, l.Unit}
	}
}

// paretoFront lists the combinations no other beats on both throughput
// (higher) and latency (lower), in sweep order.
func (s *summary) paretoFront() []int {
	var out []int
	for i := range s.stats {
		ti, ok1 := s.stats[i][throughputKey]
		li, ok2 := s.latency(i)
		if !ok1 || !ok2 {
			continue
		}
		dominated := false
		for j := range s.stats {
			tj, ok1 := s.stats[j][throughputKey]
			lj, ok2 := s.latency(j)
			if j != i && ok1 && ok2 && tj.Mean >= ti.Mean && lj.Mean <= li.Mean && (tj.Mean > ti.Mean || lj.Mean < li.Mean) {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, i)
		}
	}
	return out
}

// write writes the summary's JSON and CSV into dir.
func (s *summary) write(dir string) error {
	return writeExports(dir, SweepJSONFile, s, SweepCSVFile, s.csvRows())
}

// csvRows is AIPerf's sweep CSV: the wide table (mean, std, min, max, cv of
// every figure; only the mean is known from one run), then the best
// configurations, the Pareto optimal points and the metadata, each after a
// blank line.
func (s *summary) csvRows() [][]string {
	keys := map[string]bool{}
	for _, st := range s.stats {
		for k := range st {
			keys[k] = true
		}
	}
	names := slices.Sorted(maps.Keys(keys))
	head := s.names()
	for _, k := range names {
		head = append(head, k+"_mean", k+"_std", k+"_min", k+"_max", k+"_cv")
	}
	rows := [][]string{head}
	for i, st := range s.stats {
		row := s.columns(s.PerCombination[i].Parameters)
		for _, k := range names {
			v, ok := st[k]
			switch {
			case !ok:
				row = append(row, "", "", "", "", "")
			case s.trials > 1 && v.TCritical != 0:
				row = append(row, num(v.Mean), num(v.Std), num(v.Min), num(v.Max), num(v.CV))
			default:
				row = append(row, num(v.Mean), "", "", "", "")
			}
		}
		rows = append(rows, row)
	}
	rows = append(rows, []string{}, []string{"Best Configurations"}, append(append([]string{"Configuration"}, s.names()...), "Metric", "Unit"))
	for _, b := range []struct{ key, name string }{{"best_throughput", "Best Throughput"}, {"best_latency_p99", "Best Latency P99"}} {
		if v, ok := s.Best[b.key]; ok {
			rows = append(rows, append(append([]string{b.name}, s.columns(v.Parameters)...), fmt.Sprintf("%.2f", v.Metric), v.Unit))
		}
	}
	rows = append(rows, []string{}, []string{"Pareto Optimal Points"}, s.names())
	for _, p := range s.Pareto {
		rows = append(rows, s.columns(p))
	}
	return append(rows, []string{}, []string{"Metadata"}, []string{"Field", "Value"},
		[]string{"Aggregation Type", "sweep"}, []string{"Sweep Parameters", strings.Join(s.names(), ", ")},
		[]string{"Number of Combinations", fmt.Sprint(s.Metadata.NumCombinations)},
		[]string{"Number of Profile Runs", fmt.Sprint(s.NumProfileRuns)},
		[]string{"Number of Successful Runs", fmt.Sprint(s.NumSuccessfulRuns)})
}

// print writes one line per swept value with the capacity figures, then the
// best and Pareto optimal values.
func (s *summary) print(w io.Writer) {
	names := strings.Join(s.names(), ", ")
	width := 12
	if len(s.params) > 1 {
		width = 28
	}
	fmt.Fprintf(w, "\nSweep over %s (%d of %d runs finished):\n", names, s.NumSuccessfulRuns, s.NumProfileRuns)
	fmt.Fprintf(w, "  %*s %12s %14s %14s %10s %10s %10s %10s\n", width, names, "req/s", "out tok/s", "user p50", "TTFT p50", "TTFT p99", "ITL p50", "ITL p99")
	for i, st := range s.stats {
		fmt.Fprintf(w, "  %*s %12.2f %14.2f %14.2f %10.2f %10.2f %10.2f %10.2f\n", width, s.label(s.PerCombination[i].Parameters),
			st[throughputKey].Mean, st["output_token_throughput_avg"].Mean, st["output_token_throughput_per_user_p50"].Mean,
			st["time_to_first_token_p50"].Mean, st["time_to_first_token_p99"].Mean, st["inter_token_latency_p50"].Mean, st["inter_token_latency_p99"].Mean)
	}
	if b, ok := s.Best["best_throughput"]; ok {
		fmt.Fprintf(w, "  best throughput: %s (%.2f %s)\n", s.label(b.Parameters), b.Metric, b.Unit)
	}
	if b, ok := s.Best["best_latency_p99"]; ok {
		fmt.Fprintf(w, "  best latency p99: %s (%.2f %s)\n", s.label(b.Parameters), b.Metric, b.Unit)
	}
	var front []string
	for _, p := range s.Pareto {
		front = append(front, s.label(p))
	}
	sep := " "
	if len(s.params) > 1 {
		sep = "; "
	}
	fmt.Fprintf(w, "  Pareto optimal %s: [%s]\n", names, strings.Join(front, sep))
}
