package sweep

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
)

// SearchJSONFile is our summary of an SLA boundary search: every probe and
// the boundary found.
const SearchJSONFile = "search_summary.json"

// Searcher is a one-dimensional SLA boundary search over concurrency:
// Monotonic or SmoothIsotonic.
type Searcher interface {
	// Next is the value to probe next; false once the search has stopped.
	Next() (int, bool)
	// Tell takes the outcome of probing v: whether it met every SLA, and
	// each SLA's signed margin (negative: met; NaN: no figure).
	Tell(v int, met bool, margins []float64)
	// Outcome is the bracket found and why the search stopped ("" while it goes on).
	Outcome() (feasibleMax, infeasibleMin int, reason string)
	// Style names the search in its summary.
	Style() string
	// Range is the concurrencies searched and the probe budget, which a
	// multi-tier search in its place takes over.
	Range() (lo, hi, maxProbes int)
}

// probe is one run of a search, as the summary lists it.
type probe struct {
	Iteration   int       `json:"iteration"`
	Concurrency int       `json:"concurrency"`
	MetSLAs     bool      `json:"met_slas"`
	Dir         string    `json:"dir"`
	Error       string    `json:"error,omitempty"`
	Figures     []float64 `json:"sla_figures,omitempty"` // each SLA's figure, in p.SLA's order
}

type searchSummary struct {
	SearchStyle       string   `json:"search_style"`
	SLAs              []string `json:"slas"`
	Probes            []probe  `json:"probes"`
	FeasibleMax       int      `json:"feasible_max"`
	InfeasibleMin     int      `json:"infeasible_min"`
	ConvergenceReason string   `json:"convergence_reason"`
	// smooth_isotonic only
	BoundaryType      string `json:"boundary_type,omitempty"`
	BindingConstraint string `json:"binding_constraint,omitempty"`
	NonMonotonic      bool   `json:"non_monotonic_warning,omitempty"`
}

// searchTitles name the searches in the closing lines.
var searchTitles = map[string]string{"monotonic": "Monotonic", "smooth_isotonic": "Smooth-isotonic"}

// search runs the SLA boundary search of p.Search: one run per probe into
// search_iter_NNNN/profile_runs/run_0001 (AIPerf's adaptive layout, from 0000), each
// judged on p.SLA; a run that fails or lacks a figure breaks the SLAs. It
// writes the summary and names the boundary found.
func search(ctx context.Context, p Plan, run RunFunc, stdout io.Writer) error {
	m := p.Search
	sum := searchSummary{SearchStyle: m.Style()}
	for _, f := range p.SLA {
		sum.SLAs = append(sum.SLAs, f.String())
	}
	one := p
	one.Trials = 1 // a probe is one run
	err := iterate(ctx, one, run, "probe", concurrencies(m.Next), func(t trials) error {
		v := int(t.Combo[0])
		pr := probe{Iteration: t.Index, Concurrency: v}
		margins := make([]float64, len(p.SLA))
		for j := range margins {
			margins[j] = math.NaN()
		}
		if len(t.Failed) > 0 {
			pr.Dir, pr.Error = t.Failed[0].Label, t.Failed[0].Error
		} else {
			pr.Dir = t.Dirs[0]
			st := meanStats(t.Exps)
			pr.MetSLAs = true
			for j, f := range p.SLA {
				pr.Figures = append(pr.Figures, st[f.Metric+"_"+f.Stat].Mean)
				pr.MetSLAs = pr.MetSLAs && f.met(st)
				if x, ok := st[f.key()]; ok {
					margins[j] = f.margin(x.Mean)
				}
			}
		}
		m.Tell(v, pr.MetSLAs, margins)
		sum.Probes = append(sum.Probes, pr)
		verdict := "meets the SLAs"
		if !pr.MetSLAs {
			verdict = "breaks an SLA"
		}
		fmt.Fprintf(stdout, "search_iter_%04d: concurrency %d %s\n", t.Index, v, verdict)
		return nil
	})
	if err != nil {
		return err
	}
	sum.FeasibleMax, sum.InfeasibleMin, sum.ConvergenceReason = m.Outcome()
	if si, ok := m.(*SmoothIsotonic); ok {
		sum.BoundaryType, sum.NonMonotonic = si.BoundaryType, si.NonMonotonic
		if si.Binding >= 0 {
			sum.BindingConstraint = p.SLA[si.Binding].String()
		}
	}
	if sum.ConvergenceReason == "" {
		sum.ConvergenceReason = "interrupted"
	}
	if err := os.MkdirAll(p.Base, 0o755); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(p.Base, SearchJSONFile), sum); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n%s SLA search (%v), %d probes, stopped: %s\n", searchTitles[sum.SearchStyle], p.SLA, len(sum.Probes), sum.ConvergenceReason)
	if sum.FeasibleMax > 0 {
		fmt.Fprintf(stdout, "  highest concurrency meeting every SLA: %d\n", sum.FeasibleMax)
	} else {
		fmt.Fprintln(stdout, "  no concurrency met every SLA")
	}
	if sum.InfeasibleMin > 0 {
		fmt.Fprintf(stdout, "  lowest concurrency breaking one: %d\n", sum.InfeasibleMin)
	}
	return nil
}
