package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// The JSON files a sweep or a search writes, as the sweep tests read them:
// decoded into these types, a file of another shape fails the test naming
// the file and the field, where a type assertion on a map would panic. A
// pointer is a field whose absence (or null) the tests tell from zero.

// runExport is what the sweep tests read of a run's JSON export.
type runExport struct {
	InputConfig         runConfig `json:"input_config"`
	MinRequestTimestamp struct {
		Avg float64 `json:"avg"`
	} `json:"min_request_timestamp"`
}

// runConfig is a run's input_config: what AIPerf dumps of the settings the
// run had.
type runConfig struct {
	Input struct {
		RandomSeed float64            `json:"random_seed"`
		Goodput    map[string]float64 `json:"goodput"`
		Prompt     struct {
			InputTokens  promptTokens `json:"input_tokens"`
			OutputTokens promptTokens `json:"output_tokens"`
		} `json:"prompt"`
	} `json:"input"`
	Loadgen struct {
		Concurrency        float64 `json:"concurrency"`
		WarmupRequestCount float64 `json:"warmup_request_count"`
	} `json:"loadgen"`
}

type promptTokens struct {
	Mean   float64  `json:"mean"`
	Stddev *float64 `json:"stddev"`
}

// inputConfig reads the input_config of the run in dir.
func inputConfig(t *testing.T, dir string) runConfig {
	t.Helper()
	return testkit.ReadJSON[runExport](t, filepath.Join(dir, report.JSONFile)).InputConfig
}

// sweepSummary is the sweep summary (sweep.SweepJSONFile).
type sweepSummary struct {
	AggregationType   string  `json:"aggregation_type"`
	NumSuccessfulRuns float64 `json:"num_successful_runs"`
	Metadata          struct {
		NumCombinations float64 `json:"num_combinations"`
		SweepParameters []struct {
			Name string `json:"name"`
		} `json:"sweep_parameters"`
	} `json:"metadata"`
	PerCombination []struct {
		Parameters map[string]any       `json:"parameters"`
		Metrics    map[string]sweepStat `json:"metrics"`
	} `json:"per_combination_metrics"`
	BestConfigurations map[string]struct {
		Parameters map[string]any `json:"parameters"`
		Metric     float64        `json:"metric"`
	} `json:"best_configurations"`
	ParetoOptimal []json.RawMessage `json:"pareto_optimal"`
}

// sweepAggregate is the aggregate of a setting's repeated runs
// (sweep.AggregateJSONFile).
type sweepAggregate struct {
	Metadata struct {
		AggregationType   string  `json:"aggregation_type"`
		NumProfileRuns    float64 `json:"num_profile_runs"`
		NumSuccessfulRuns float64 `json:"num_successful_runs"`
		ConfidenceLevel   float64 `json:"confidence_level"`
	} `json:"metadata"`
	Metrics map[string]sweepStat `json:"metrics"`
}

// sweepStat is one figure across runs or settings.
type sweepStat struct {
	Mean      *float64 `json:"mean"`
	Std       *float64 `json:"std"`
	CILow     *float64 `json:"ci_low"`
	CIHigh    *float64 `json:"ci_high"`
	TCritical *float64 `json:"t_critical"`
	Unit      string   `json:"unit"`
}

// meanNear tells whether the stat has a mean near want.
func (s sweepStat) meanNear(want float64) bool { return s.Mean != nil && near(*s.Mean, want) }

func (s sweepStat) String() string {
	show := func(p *float64) any {
		if p == nil {
			return nil
		}
		return *p
	}
	return fmt.Sprintf("{mean %v std %v ci %v..%v t %v unit %q}", show(s.Mean), show(s.Std), show(s.CILow), show(s.CIHigh), show(s.TCritical), s.Unit)
}

// searchSummary is an SLA boundary search's summary (sweep.SearchJSONFile).
type searchSummary struct {
	SearchStyle       string            `json:"search_style"`
	FeasibleMax       *float64          `json:"feasible_max"` // nil: absent or null, told apart from 0
	ConvergenceReason string            `json:"convergence_reason"`
	Probes            []json.RawMessage `json:"probes"`
}

// searchHistory is an adaptive or multi-tier search's history
// (sweep.HistoryJSONFile).
type searchHistory struct {
	Recipe            string `json:"recipe"`
	ConvergenceReason string `json:"convergence_reason"`
	Config            struct {
		Planner    string `json:"planner"`
		SLAFilters []struct {
			MetricTag string  `json:"metric_tag"`
			Op        string  `json:"op"`
			Threshold float64 `json:"threshold"`
		} `json:"sla_filters"`
		Objectives []struct {
			Metric string `json:"metric"`
		} `json:"objectives"`
		SLATiers []struct {
			Label string `json:"label"`
		} `json:"sla_tiers"`
	} `json:"config"`
	Iterations []searchIteration `json:"iterations"`
	BestTrials []searchIteration `json:"best_trials"`
	// BoundarySummary's feasible_max is an object, null when no value met
	// the SLAs.
	BoundarySummary *struct {
		FeasibleMax *struct {
			Value float64 `json:"value"`
		} `json:"feasible_max"`
		NonMonotonic      *bool  `json:"non_monotonic_warning"`
		ConvergenceReason string `json:"convergence_reason"`
	} `json:"boundary_summary"`
	TierResults []struct {
		Label               string            `json:"label"`
		BoundaryConcurrency *float64          `json:"boundary_concurrency"`
		ConvergenceReason   string            `json:"convergence_reason"`
		ConfidenceInterval  json.RawMessage   `json:"confidence_interval"`
		Filters             []json.RawMessage `json:"filters"`
	} `json:"tier_results"`
}

type searchIteration struct {
	VariationValues map[string]float64 `json:"variation_values"`
	ObjectiveValues []float64          `json:"objective_values"`
	Feasible        bool               `json:"feasible"`
	Runs            []string           `json:"runs"`
}
