package sweep

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// historyFile is search_history.json as AIPerf documents it, read on its
// own (not through the types that write it), so a renamed or retyped field
// fails the test where a type assertion on a map would panic.
type historyFile struct {
	ConvergenceReason string `json:"convergence_reason"`
	Config            struct {
		Planner     string   `json:"planner"`
		RandomSeed  *float64 `json:"random_seed"`
		SearchSpace []struct {
			Lo   float64 `json:"lo"`
			Kind string  `json:"kind"`
		} `json:"search_space"`
		Objectives []struct {
			Direction string `json:"direction"`
		} `json:"objectives"`
	} `json:"config"`
	Iterations      []historyTrial `json:"iterations"`
	BestTrials      []historyTrial `json:"best_trials"`
	BoundarySummary *struct {
		FeasibleMax *struct {
			Value float64 `json:"value"`
		} `json:"feasible_max"`
		InfeasibleMin *struct {
			Value       float64 `json:"value"`
			FirstBreach *struct {
				MetricTag string   `json:"metric_tag"`
				Observed  *float64 `json:"observed"`
			} `json:"first_breach"`
		} `json:"infeasible_min"`
	} `json:"boundary_summary"`
	TierResults []struct {
		Label string `json:"label"`
	} `json:"tier_results"`
}

// historyTrial is an iteration or a best trial of the history.
type historyTrial struct {
	VariationValues map[string]float64 `json:"variation_values"`
	ObjectiveValues []float64          `json:"objective_values"`
	Feasible        *bool              `json:"feasible"`
	Failed          json.RawMessage    `json:"failed"`
	TierVerdicts    map[string]bool    `json:"tier_verdicts"`
}

// concurrency is the concurrency the trial ran at.
func (h historyTrial) concurrency(t *testing.T) float64 {
	t.Helper()
	c, ok := h.VariationValues["phases.profiling.concurrency"]
	if !ok {
		t.Fatalf("trial without a concurrency: %+v", h)
	}
	return c
}

func readHistory(t *testing.T, base string) historyFile {
	t.Helper()
	return testkit.ReadJSON[historyFile](t, filepath.Join(base, HistoryJSONFile))
}
