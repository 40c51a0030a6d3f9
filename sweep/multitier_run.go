package sweep

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// The search_history.json of a multi-tier search: AIPerf's history with
// each iteration's verdict per tier and each tier's result.
type (
	tierHistory struct {
		Config            tierConfig      `json:"config"`
		Iterations        []tierIteration `json:"iterations"`
		TierResults       []tierResult    `json:"tier_results"`
		TierMetadata      map[string]any  `json:"tier_metadata"`
		BoundarySummary   *tierBoundary   `json:"boundary_summary"`
		ConvergenceReason *string         `json:"convergence_reason"`
	}
	tierConfig struct {
		Planner       string     `json:"planner"`
		MaxIterations int        `json:"max_iterations"`
		SearchSpace   []spaceDim `json:"search_space"`
		SLAFilters    []slaJSON  `json:"sla_filters"`
		SLATiers      []tierJSON `json:"sla_tiers"`
	}
	// tierBoundary is the most lenient tier's boundary, with AIPerf's two
	// fields more: any tier's non-monotonic verdict, and the search's reason.
	tierBoundary struct {
		boundary
		NonMonotonic      bool    `json:"non_monotonic_warning"`
		ConvergenceReason *string `json:"convergence_reason"`
	}
	tierJSON struct {
		Label   string    `json:"label"`
		Filters []slaJSON `json:"filters"`
	}
	tierIteration struct {
		Index        int             `json:"iteration_idx"`
		Values       map[string]any  `json:"variation_values"`
		Feasible     bool            `json:"feasible"` // every tier met its SLAs
		TierVerdicts map[string]bool `json:"tier_verdicts"`
		Runs         []string        `json:"runs"`
		Failed       []Failed        `json:"failed,omitempty"`
	}
	tierResult struct {
		Label             string    `json:"label"`
		Boundary          *int      `json:"boundary_concurrency"`
		Status            string    `json:"convergence_status"`
		Reason            *string   `json:"convergence_reason"`
		BindingConstraint *slaJSON  `json:"binding_constraint"`
		BracketLower      *int      `json:"bracket_lower"`
		BracketUpper      *int      `json:"bracket_upper"`
		Interval          *struct{} `json:"confidence_interval"` // AIPerf's replicate phase's; none here, as AIPerf's planner has none
		ProbeCount        int       `json:"probe_count"`
		NonMonotonic      bool      `json:"non_monotonic_warning"`
		Filters           []slaJSON `json:"filters"`
	}
)

func orNil(v int) *int {
	if v == 0 {
		return nil
	}
	return &v
}

func slaList(fs []SLAFilter) []slaJSON {
	out := []slaJSON{}
	for _, f := range fs {
		out = append(out, slaJSON{Metric: f.Metric, Stat: f.Stat, Op: f.op(), Threshold: f.Threshold})
	}
	return out
}

// multiTier runs the multi-tier search of p over its dimension: each probe
// --num-profile-runs times into AIPerf's layout, judged for every tier on
// the mean of its runs' figures; the history is rewritten after each.
func multiTier(ctx context.Context, p Plan, run RunFunc, stdout io.Writer) error {
	m := p.MultiTier
	param, path := p.Params[0], m.Dim.Path
	h := &tierHistory{Config: tierConfig{Planner: "multi_tier", MaxIterations: m.MaxProbes,
		SearchSpace: []spaceDim{{Path: path, Lo: m.Lo, Hi: m.Hi, Kind: "int"}}, SLAFilters: slaList(m.Global)},
		Iterations: []tierIteration{}}
	for _, t := range m.Tiers {
		h.Config.SLATiers = append(h.Config.SLATiers, tierJSON{Label: t.Label, Filters: slaList(t.SLA)})
	}
	if err := os.MkdirAll(p.Base, 0o755); err != nil {
		return err
	}
	err := iterate(ctx, p, run, "probe", concurrencies(m.Next), func(t trials) error {
		v := int(t.Combo[0])
		var st map[string]Stat
		if len(t.Exps) > 0 {
			st = meanStats(t.Exps)
		}
		met := m.Tell(v, st)
		it := tierIteration{Index: t.Index, Values: map[string]any{path: param.value(t.Combo[0])}, Feasible: true,
			TierVerdicts: map[string]bool{}, Runs: t.Dirs, Failed: t.Failed}
		var verdicts []string
		for j, t := range m.Tiers {
			it.TierVerdicts[t.Label] = met[j]
			it.Feasible = it.Feasible && met[j]
			verdicts = append(verdicts, fmt.Sprintf("%s %s", t.Label, map[bool]string{true: "met", false: "broken"}[met[j]]))
		}
		h.Iterations = append(h.Iterations, it)
		h.finish(m, path)
		if err := writeJSON(filepath.Join(p.Base, HistoryJSONFile), h); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "search_iter_%04d: %s %d: %s\n", t.Index, param.Name, v, strings.Join(verdicts, ", "))
		return nil
	})
	if err != nil {
		return err
	}
	if m.Reason == "" {
		m.Reason = "interrupted"
	}
	h.finish(m, path) // the reason may be new: the budget is found spent only when asked for the next probe
	if err := writeJSON(filepath.Join(p.Base, HistoryJSONFile), h); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nMulti-tier SLA search, %d probes, stopped: %s\n", len(h.Iterations), m.Reason)
	for _, r := range h.TierResults {
		switch {
		case r.Boundary != nil:
			fmt.Fprintf(stdout, "  %s: highest %s meeting its SLAs %d (%s)\n", r.Label, param.Name, *r.Boundary, r.Status)
		default:
			fmt.Fprintf(stdout, "  %s: no %s met its SLAs (%s)\n", r.Label, param.Name, r.Status)
		}
	}
	return nil
}

// finish fills the tiers' results, the metadata and the boundary summary
// of the most lenient tier (the highest boundary), as AIPerf's planner.
func (h *tierHistory) finish(m *MultiTier, path string) {
	h.TierResults = nil
	var lenient *bracket
	for _, t := range m.Tiers {
		status := "converged"
		var reason *string
		if t.Reason != "" {
			r := t.Reason
			reason = &r
		} else {
			status = "not_converged"
		}
		h.TierResults = append(h.TierResults, tierResult{Label: t.Label, Boundary: orNil(t.FeasibleMax), Status: status, Reason: reason,
			BindingConstraint: t.Breach, BracketLower: orNil(t.FeasibleMax), BracketUpper: orNil(t.InfeasibleMin),
			ProbeCount: t.Probes, NonMonotonic: t.NonMonotonic, Filters: slaList(append(append([]SLAFilter(nil), t.SLA...), m.Global...))})
		if t.FeasibleMax != 0 && (lenient == nil || t.FeasibleMax > lenient.FeasibleMax) {
			lenient = t
		}
	}
	evaluations := 0
	for _, t := range m.Tiers {
		evaluations += t.Probes
	}
	h.TierMetadata = map[string]any{"actual_probe_count": len(h.Iterations), "tier_evaluation_count": evaluations}
	if lenient == nil {
		lenient = m.Tiers[len(m.Tiers)-1]
	}
	h.ConvergenceReason = nil
	if m.Reason != "" {
		r := m.Reason
		h.ConvergenceReason = &r
	}
	h.BoundarySummary = &tierBoundary{boundary: boundary{Path: path}, ConvergenceReason: h.ConvergenceReason}
	for _, t := range m.Tiers {
		h.BoundarySummary.NonMonotonic = h.BoundarySummary.NonMonotonic || t.NonMonotonic
	}
	if lenient.FeasibleMax != 0 {
		h.BoundarySummary.FeasibleMax = map[string]any{"value": lenient.FeasibleMax, "iteration_idx": h.iterationOf(lenient.FeasibleMax, path), "objective_value": nil}
	}
	if lenient.InfeasibleMin != 0 {
		h.BoundarySummary.InfeasibleMin = map[string]any{"value": lenient.InfeasibleMin, "iteration_idx": h.iterationOf(lenient.InfeasibleMin, path), "first_breach": lenient.Breach}
	}
}

// iterationOf is the last iteration that probed v.
func (h *tierHistory) iterationOf(v int, path string) any {
	for i := len(h.Iterations) - 1; i >= 0; i-- {
		if x, ok := h.Iterations[i].Values[path].(int); ok && x == v {
			return h.Iterations[i].Index
		}
	}
	return nil
}
