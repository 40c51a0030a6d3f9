package sweep

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// SearchJSONFile is our summary of a monotonic SLA search: every probe and
// the boundary found.
const SearchJSONFile = "search_summary.json"

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
}

// search runs the monotonic SLA search of p.Search: one run per probe into
// search_iter_NNNN/profile_runs/run_0001 (AIPerf's adaptive layout, from 0000), each
// judged on p.SLA; a run that fails or lacks a figure breaks the SLAs. It
// writes the summary and names the boundary found.
func search(ctx context.Context, p Plan, run RunFunc, stdout io.Writer) error {
	m := p.Search
	sum := searchSummary{SearchStyle: "monotonic"}
	for _, f := range p.SLA {
		sum.SLAs = append(sum.SLAs, f.String())
	}
	for i := 0; ctx.Err() == nil; i++ {
		v, ok := m.Next()
		if !ok {
			break
		}
		if i > 0 {
			wait(ctx, p.SweepCooldown)
		}
		label := fmt.Sprintf("search_iter_%04d", i) // from 0000, as every AIPerf planner
		r := Run{Dir: filepath.Join(p.Base, label, "profile_runs", "run_0001"), Combo: Combo{float64(v)}, Index: i,
			Label: label, Trial: 1}
		pr := probe{Iteration: i, Concurrency: v, Dir: r.Dir}
		err := run(ctx, r)
		var exp map[string]Value
		if err == nil || ctx.Err() != nil {
			exp, err = ReadExport(r.Dir, p.Export)
		}
		if err != nil {
			pr.Error = err.Error()
		} else {
			st := map[string]Stat{}
			for k, x := range exp {
				st[k] = Stat{Mean: x.V, Unit: x.Unit}
			}
			pr.MetSLAs = true
			for _, f := range p.SLA {
				pr.Figures = append(pr.Figures, st[f.Metric+"_"+f.Stat].Mean)
				pr.MetSLAs = pr.MetSLAs && f.met(st)
			}
		}
		if ctx.Err() != nil && err != nil {
			break // interrupted before it had a report: no verdict
		}
		m.Tell(v, pr.MetSLAs)
		sum.Probes = append(sum.Probes, pr)
		verdict := "meets the SLAs"
		if !pr.MetSLAs {
			verdict = "breaks an SLA"
		}
		fmt.Fprintf(stdout, "%s: concurrency %d %s\n", label, v, verdict)
	}
	var firstErr error
	reported := 0
	for _, pr := range sum.Probes {
		if pr.Error == "" {
			reported++
		} else if firstErr == nil {
			firstErr = fmt.Errorf("%s: %s", pr.Dir, pr.Error)
		}
	}
	if reported == 0 {
		if firstErr == nil {
			firstErr = fmt.Errorf("no probe finished")
		}
		return firstErr
	}
	sum.FeasibleMax, sum.InfeasibleMin, sum.ConvergenceReason = m.FeasibleMax, m.InfeasibleMin, m.Reason
	if sum.ConvergenceReason == "" {
		sum.ConvergenceReason = "interrupted"
	}
	if err := os.MkdirAll(p.Base, 0o755); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(p.Base, SearchJSONFile), sum); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nMonotonic SLA search (%v), %d probes, stopped: %s\n", p.SLA, len(sum.Probes), sum.ConvergenceReason)
	if m.FeasibleMax > 0 {
		fmt.Fprintf(stdout, "  highest concurrency meeting every SLA: %d\n", m.FeasibleMax)
	} else {
		fmt.Fprintln(stdout, "  no concurrency met every SLA")
	}
	if m.InfeasibleMin > 0 {
		fmt.Fprintf(stdout, "  lowest concurrency breaking one: %d\n", m.InfeasibleMin)
	}
	return nil
}
