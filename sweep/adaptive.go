package sweep

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
)

// HistoryJSONFile is AIPerf's record of an adaptive search, rewritten after
// every iteration so an interrupted search leaves its trajectory.
const HistoryJSONFile = "search_history.json"

// Adaptive is an adaptive search (--search-space, or the
// max-goodput-under-slo recipe): the planner and what it optimises.
type Adaptive struct {
	Planner      string // as the history names it: bayesian, optuna
	Recipe       string // the recipe that built it; "" for --search-space
	Metric, Stat string // the objective: output_token_throughput, avg
	Pooled       bool   // --search-percentile-pooling pooled: the percentile of every trial's requests together
	JSONL        string // each run's records file, for Pooled
	Seed         *int64 // --search-random-seed; nil when none was given
	Bayes        *Bayes
}

// The layout of search_history.json, as AIPerf documents it.
type (
	history struct {
		Config            historyConfig `json:"config"`
		Iterations        []iteration   `json:"iterations"`
		BestTrials        []bestTrial   `json:"best_trials"`
		Recipe            *string       `json:"recipe"`
		ConvergenceReason *string       `json:"convergence_reason"`
		BoundarySummary   *boundary     `json:"boundary_summary"`
	}
	historyConfig struct {
		Planner            string      `json:"planner"`
		Objectives         []objective `json:"objectives"`
		OutcomeConstraints []any       `json:"outcome_constraints"`
		MaxIterations      int         `json:"max_iterations"`
		InitialPoints      int         `json:"n_initial_points"`
		RandomSeed         *int64      `json:"random_seed"`
		Patience           int         `json:"improvement_patience"`
		PlateauWindow      int         `json:"plateau_window"`
		PlateauThreshold   float64     `json:"plateau_threshold"`
		SearchSpace        []spaceDim  `json:"search_space"`
		SLAFilters         []slaJSON   `json:"sla_filters"`
	}
	objective struct {
		Metric    string   `json:"metric"`
		Stat      string   `json:"stat"`
		Direction string   `json:"direction"`
		Threshold *float64 `json:"threshold"`
	}
	spaceDim struct {
		Path string `json:"path"`
		Lo   any    `json:"lo"`
		Hi   any    `json:"hi"`
		Kind string `json:"kind"`
	}
	slaJSON struct {
		Metric    string   `json:"metric_tag"`
		Stat      string   `json:"stat"`
		Op        string   `json:"op"`
		Threshold float64  `json:"threshold"`
		Observed  *float64 `json:"observed,omitempty"`
	}
	iteration struct {
		Index        int            `json:"iteration_idx"`
		Values       map[string]any `json:"variation_values"`
		Objective    []float64      `json:"objective_values"`
		Feasible     bool           `json:"feasible"`
		NonMonotonic *bool          `json:"non_monotonic_warning"`
		Runs         []string       `json:"runs"`             // ours: the trials' directories that reported
		Failed       []Failed       `json:"failed,omitempty"` // ours: the trials that did not

		combo  Combo
		breach *slaJSON
	}
	bestTrial struct {
		Index         int            `json:"iteration_idx"`
		Objective     []float64      `json:"objective_values"`
		Values        map[string]any `json:"variation_values"`
		Feasible      bool           `json:"feasible"`
		FeasibleCount int            `json:"feasible_count"`
		ParetoRank    int            `json:"pareto_rank"`
	}
	boundary struct {
		Path          string         `json:"swept_dim_path"`
		FeasibleMax   map[string]any `json:"feasible_max"`
		InfeasibleMin map[string]any `json:"infeasible_min"`
	}
)

// adaptive runs the adaptive search of p: each iteration runs the setting
// the planner names, --num-profile-runs times, into
// search_iter_NNNN/profile_runs/run_NNNN (from 0000, AIPerf's layout), and
// tells the planner the objective (the mean of the trials' figures, or
// the pooled percentile) and how far the SLAs were broken. Then the
// history, the sweep summary of every setting run, and the best setting.
func adaptive(ctx context.Context, p Plan, run RunFunc, stdout io.Writer) error {
	a, b := p.Adaptive, p.Adaptive.Bayes
	h := newHistory(p)
	if err := os.MkdirAll(p.Base, 0o755); err != nil {
		return err
	}
	next := func() (Combo, bool) {
		x, ok := b.Next()
		return Combo(x), ok
	}
	err := iterate(ctx, p, run, "iteration", next, func(t trials) error {
		it := iteration{Index: t.Index, Values: map[string]any{}, Objective: []float64{}, combo: t.Combo, Runs: t.Dirs, Failed: t.Failed}
		for j, d := range b.Dims {
			it.Values[d.Path] = d.Param.value(t.Combo[j])
		}
		obj, st := a.objective(t.Exps, it.Runs)
		if !math.IsNaN(obj) {
			it.Objective = []float64{obj}
		}
		violation := -1.0
		it.Feasible = len(t.Exps) > 0
		for _, f := range p.SLA {
			v := f.violation(st)
			if v > violation {
				violation = v
			}
			if !f.met(st) && it.breach == nil {
				it.Feasible, it.breach = false, &slaJSON{Metric: f.Metric, Stat: f.Stat, Op: f.op(), Threshold: f.Threshold}
				if s, ok := st[f.key()]; ok {
					it.breach.Observed = &s.Mean
				}
			}
		}
		if len(t.Exps) == 0 {
			violation = 1
		}
		b.Tell(t.Combo, obj, violation)
		h.Iterations = append(h.Iterations, it)
		h.finish(p, b.Reason)
		if err := writeJSON(filepath.Join(p.Base, HistoryJSONFile), h); err != nil {
			return err
		}
		verdict := ""
		if !it.Feasible && len(t.Exps) > 0 {
			verdict = " (breaks an SLA)"
		}
		fmt.Fprintf(stdout, "search_iter_%04d: %s → %s %s %s%s\n", t.Index, p.Label(t.Combo), a.Metric, a.Stat, figure(it.Objective), verdict)
		return nil
	})
	if err != nil {
		return err
	}
	if b.Reason == "" {
		h.finish(p, "interrupted")
		if err := writeJSON(filepath.Join(p.Base, HistoryJSONFile), h); err != nil {
			return err
		}
	}
	if err := writeAdaptiveSummary(p, h, stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nAdaptive search (%s), %d iterations, stopped: %s\n", a.Planner, len(h.Iterations), *h.ConvergenceReason)
	if len(h.BestTrials) == 0 {
		fmt.Fprintln(stdout, "  no iteration gave an objective")
		return nil
	}
	best := h.BestTrials[0]
	fmt.Fprintf(stdout, "  best: %s, %s %s %s", p.Label(h.Iterations[best.Index].combo), a.Metric, a.Stat, figure(best.Objective))
	if !best.Feasible {
		fmt.Fprint(stdout, " (no setting met every SLA)")
	}
	fmt.Fprintln(stdout)
	return nil
}

// meanStats is the mean of every figure across runs' exports.
func meanStats(exps []map[string]Value) map[string]Stat {
	st := map[string]Stat{}
	n := map[string]int{}
	for _, exp := range exps {
		for k, v := range exp {
			s := st[k]
			s.Mean, s.Unit = s.Mean+v.V, v.Unit
			st[k] = s
			n[k]++
		}
	}
	for k, s := range st {
		s.Mean /= float64(n[k])
		st[k] = s
	}
	return st
}

func figure(v []float64) string {
	if len(v) == 0 {
		return "none"
	}
	return fmt.Sprintf("%.4g", v[0])
}

// objective is the iteration's objective — the mean of its trials' figure,
// or with Pooled the percentile over all their requests — and the mean of
// every figure across its trials, for the SLAs. NaN when no trial has it.
func (a *Adaptive) objective(exps []map[string]Value, dirs []string) (float64, map[string]Stat) {
	st := meanStats(exps)
	if a.Pooled && a.Stat != "avg" && len(dirs) > 0 {
		if v, ok := pooledFigure(dirs, a.JSONL, a.Metric, a.Stat); ok {
			return v, st
		}
	}
	sum, count := 0.0, 0
	for _, exp := range exps {
		if v, ok := exp[a.Metric+"_"+a.Stat]; ok && !math.IsNaN(v.V) && !math.IsInf(v.V, 0) {
			sum, count = sum+v.V, count+1
		}
	}
	if count == 0 {
		return math.NaN(), st
	}
	return sum / float64(count), st
}

// violation is how far a setting's figure lies past the SLA's threshold,
// relative to it: at most 0 when the SLA holds, 1 when the figure is
// missing. It feeds the planner's model of where the SLAs hold.
func (f SLAFilter) violation(st map[string]Stat) float64 {
	s, ok := st[f.key()]
	if !ok || math.IsNaN(s.Mean) || math.IsInf(s.Mean, 0) {
		return 1
	}
	v := (s.Mean - f.Threshold) / math.Max(math.Abs(f.Threshold), 1e-9)
	if f.op() == "gt" || f.op() == "ge" {
		v = -v
	}
	if !f.holds(s.Mean) && v <= 0 {
		v = 1e-9 // at the threshold of a strict comparison
	}
	return v
}

func newHistory(p Plan) *history {
	a, b := p.Adaptive, p.Adaptive.Bayes
	dir := "minimize"
	if b.Maximize {
		dir = "maximize"
	}
	h := &history{Config: historyConfig{Planner: a.Planner, Objectives: []objective{{Metric: a.Metric, Stat: a.Stat, Direction: dir}},
		OutcomeConstraints: []any{}, MaxIterations: b.MaxIterations, InitialPoints: b.InitialPoints, RandomSeed: a.Seed,
		Patience: b.Patience, PlateauWindow: b.PlateauWindow, PlateauThreshold: b.PlateauThreshold,
		SearchSpace: []spaceDim{}, SLAFilters: []slaJSON{}}, Iterations: []iteration{}, BestTrials: []bestTrial{}}
	for _, d := range b.Dims {
		kind := "real"
		if d.Int {
			kind = "int"
		}
		h.Config.SearchSpace = append(h.Config.SearchSpace, spaceDim{Path: d.Path, Lo: d.Param.value(d.Lo), Hi: d.Param.value(d.Hi), Kind: kind})
	}
	for _, f := range p.SLA {
		h.Config.SLAFilters = append(h.Config.SLAFilters, slaJSON{Metric: f.Metric, Stat: f.Stat, Op: f.op(), Threshold: f.Threshold})
	}
	if a.Recipe != "" {
		h.Recipe = &a.Recipe
	}
	return h
}

// finish fills what the iterations so far decide: the best trial (feasible
// first, then the best objective: AIPerf's lexicographic choice), the
// boundary of a one-dimensional search, and why it stopped ("" while it
// goes on: null).
func (h *history) finish(p Plan, reason string) {
	b := p.Adaptive.Bayes
	h.ConvergenceReason = nil
	if reason != "" {
		h.ConvergenceReason = &reason
	}
	better := func(x, y iteration) bool { // x beats y
		if x.Feasible != y.Feasible {
			return x.Feasible
		}
		if b.Maximize {
			return x.Objective[0] > y.Objective[0]
		}
		return x.Objective[0] < y.Objective[0]
	}
	best, feasible := -1, 0
	for i, it := range h.Iterations {
		if it.Feasible {
			feasible++
		}
		if len(it.Objective) > 0 && (best < 0 || better(it, h.Iterations[best])) {
			best = i
		}
	}
	h.BestTrials = []bestTrial{}
	if best >= 0 {
		it := h.Iterations[best]
		h.BestTrials = append(h.BestTrials, bestTrial{Index: it.Index, Objective: it.Objective, Values: it.Values, Feasible: it.Feasible, FeasibleCount: feasible})
	}
	h.BoundarySummary = nil
	if len(b.Dims) == 1 {
		h.BoundarySummary = h.boundary(p)
	}
}

// boundary is AIPerf's boundary_summary of a one-dimensional search: the
// highest setting that met the SLAs (the highest run, without SLAs) and
// the lowest that broke one, with the SLA it broke first.
func (h *history) boundary(p Plan) *boundary {
	d := p.Adaptive.Bayes.Dims[0]
	bd := &boundary{Path: d.Path}
	var hi, lo *iteration
	for i := range h.Iterations {
		it := &h.Iterations[i]
		switch {
		case len(it.Runs) == 0:
		case it.Feasible && (hi == nil || it.combo[0] > hi.combo[0]):
			hi = it
		case !it.Feasible && it.breach != nil && (lo == nil || it.combo[0] < lo.combo[0]):
			lo = it
		}
	}
	if hi != nil {
		bd.FeasibleMax = map[string]any{"value": d.Param.value(hi.combo[0]), "iteration_idx": hi.Index, "objective_value": nil}
		if len(hi.Objective) > 0 {
			bd.FeasibleMax["objective_value"] = hi.Objective[0]
		}
	}
	if lo != nil {
		bd.InfeasibleMin = map[string]any{"value": d.Param.value(lo.combo[0]), "iteration_idx": lo.Index, "first_breach": lo.breach}
	}
	return bd
}

// writeAdaptiveSummary writes the sweep summary of every setting the
// search ran (AIPerf writes it for an adaptive search as for a grid): the
// settings in order, repeats of one setting pooled as its trials.
func writeAdaptiveSummary(p Plan, h *history, stdout io.Writer) error {
	var cells []*cell
	for _, it := range h.Iterations {
		if len(it.Runs) == 0 {
			continue
		}
		i := slices.IndexFunc(cells, func(c *cell) bool { return slices.Equal(c.combo, it.combo) })
		if i < 0 {
			cells = append(cells, &cell{combo: it.combo})
			i = len(cells) - 1
		}
		for _, dir := range it.Runs {
			exp, err := ReadExport(dir, p.Export)
			if err != nil {
				return err
			}
			cells[i].labels, cells[i].runs = append(cells[i].labels, filepath.Base(filepath.Dir(filepath.Dir(dir)))), append(cells[i].runs, exp)
		}
	}
	slices.SortFunc(cells, func(x, y *cell) int { return slices.Compare(x.combo, y.combo) })
	q := p
	q.Params = slices.Clone(p.Params)
	for j := range q.Params {
		q.Params[j].Values = nil
		for _, c := range cells {
			if !slices.Contains(q.Params[j].Values, c.combo[j]) {
				q.Params[j].Values = append(q.Params[j].Values, c.combo[j])
			}
		}
		slices.Sort(q.Params[j].Values)
	}
	q.Combos = nil
	for _, c := range cells {
		q.Combos = append(q.Combos, c.combo)
	}
	q.Trials = max(p.Trials, 1) // with repeats, each setting's confidence aggregate too
	return writeAll(q, cells, stdout)
}
