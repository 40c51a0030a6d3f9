// Package sweep runs one profile after another — lists given to
// --concurrency, --request-rate, --isl, --osl ... (every combination, or
// element by element), --num-profile-runs repeats of each, or both — and
// summarises them as AIPerf's multi-run aggregates: every run keeps the
// artifact directory and exports a single run writes; the aggregates read
// those exports back.
package sweep

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Param is one swept setting, as AIPerf names it in directories and summaries.
type Param struct {
	Name   string // "concurrency", "request_rate", "isl", "osl", ...
	Values []float64
	Whole  bool // whole numbers: written without a decimal point
	// Labels name the values of a --variant sweep: value i is the run
	// Labels[i], and its directory is the label alone, as AIPerf's.
	Labels []string
}

// Combo is one setting of a sweep: a value for each of Plan.Params, in order.
type Combo []float64

// Grid is every combination of the params' values, the last param changing
// fastest (AIPerf's grid, itertools.product over the sorted names).
func Grid(params []Param) []Combo {
	out := []Combo{{}}
	for _, p := range params {
		var next []Combo
		for _, c := range out {
			for _, v := range p.Values {
				next = append(next, append(append(Combo(nil), c...), v))
			}
		}
		out = next
	}
	return out
}

// Zip pairs the params' values element by element (AIPerf's zip); the lists
// must be equally long.
func Zip(params []Param) ([]Combo, error) {
	var out []Combo
	for i, p := range params {
		if len(p.Values) != len(params[0].Values) {
			return nil, fmt.Errorf("zip needs lists of one length: %s has %d values, %s has %d",
				params[0].Name, len(params[0].Values), params[i].Name, len(p.Values))
		}
	}
	for i := range params[0].Values {
		c := make(Combo, len(params))
		for j, p := range params {
			c[j] = p.Values[i]
		}
		out = append(out, c)
	}
	return out, nil
}

// Plan is how the runs are laid out and ordered, as AIPerf lays them out.
type Plan struct {
	Base   string  // the artifact directory of the whole sweep
	Params []Param // the swept settings, sorted by name; nil when only repeating one setting
	Combos []Combo // the settings to run, in order (Grid or Zip of Params)
	Trials int     // --num-profile-runs (the cap, with Converge)
	Level  float64
	// Independent is --parameter-sweep-mode independent: every trial of a
	// setting, then the next setting. Otherwise (repeated) each trial runs
	// the whole sweep.
	Independent   bool
	RunCooldown   time.Duration // --profile-run-cooldown-seconds, between trials
	SweepCooldown time.Duration // --parameter-sweep-cooldown-seconds, between settings
	Converge      *Convergence  // stop a setting's trials early; nil: run them all
	HasGoodput    bool          // --goodput was given: mark the loads that meet it
	NoTable       bool          // --no-sweep-table
	SLA           []SLAFilter   // a search recipe's SLAs: say which setting meets them all
	Degrade       *Degradation  // concurrency-ramp's degradation point
	Search        Searcher      // an SLA boundary search over concurrency instead of Combos
	Adaptive      *Adaptive     // an adaptive search over Params instead of Combos
	MultiTier     *MultiTier    // a multi-tier SLA search over concurrency instead of Combos
	Export        string        // each run's JSON export file name (--profile-export-prefix); "": report.JSONFile
}

// combos are the settings to run, or one empty setting when nothing is swept.
func (p Plan) combos() []Combo {
	if len(p.Params) == 0 {
		return []Combo{nil}
	}
	return p.Combos
}

// Cell names one setting's directory as AIPerf does: concurrency_10,
// request_rate_5.0, and name_value parts joined by "__" when several
// settings are swept: concurrency_4__isl_128.
func (p Plan) Cell(c Combo) string { return p.join(c, "_", "__") }

// Label names a setting for people: concurrency=4, isl=128.
func (p Plan) Label(c Combo) string { return p.join(c, "=", ", ") }

// join writes each setting as name, eq, value (only the value for a
// labelled one, a variant), the settings separated by sep.
func (p Plan) join(c Combo, eq, sep string) string {
	parts := make([]string, len(c))
	for i, v := range c {
		parts[i] = p.Params[i].Name + eq + p.Params[i].format(v)
		if p.Params[i].Labels != nil {
			parts[i] = p.Params[i].format(v)
		}
	}
	return strings.Join(parts, sep)
}

// format writes a value as AIPerf (Python) prints it: integers for whole
// settings (concurrency, isl), floats with a decimal point for the rest.
func (p Param) format(v float64) string {
	if p.Labels != nil {
		return p.Labels[int(v)]
	}
	if p.Whole {
		return strconv.Itoa(int(v))
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if v == float64(int64(v)) {
		s += ".0"
	}
	return s
}

// RunDir is the artifact directory of one run (trial counts from 1).
func (p Plan) RunDir(trial int, c Combo) string {
	switch {
	case p.Trials <= 1:
		return filepath.Join(p.Base, p.Cell(c))
	case len(p.Params) == 0:
		return filepath.Join(p.Base, "profile_runs", fmt.Sprintf("run_%04d", trial))
	case p.Independent:
		return filepath.Join(p.Base, p.Cell(c), "profile_runs", fmt.Sprintf("trial_%04d", trial))
	default:
		return filepath.Join(p.Base, "profile_runs", fmt.Sprintf("trial_%04d", trial), p.Cell(c))
	}
}

// runLabel names a run in the aggregate's metadata.
func (p Plan) runLabel(trial int) string {
	if len(p.Params) == 0 {
		return fmt.Sprintf("run_%04d", trial)
	}
	return fmt.Sprintf("trial_%04d", trial)
}

// AggregateDir holds one setting's confidence aggregate (Trials > 1).
func (p Plan) AggregateDir(c Combo) string {
	if p.Independent && len(p.Params) > 0 {
		return filepath.Join(p.Base, p.Cell(c), "aggregate")
	}
	return filepath.Join(p.Base, "aggregate", p.Cell(c))
}

// SweepDir holds the sweep summary and its plots.
func (p Plan) SweepDir() string {
	if p.Trials > 1 && !p.Independent {
		return filepath.Join(p.Base, "aggregate", "sweep_aggregate")
	}
	return filepath.Join(p.Base, "sweep_aggregate")
}

// Steps is how many slots the plan's runs take (Step runs from 0 to
// Steps-1); 0 for a search, whose probes are not known before it runs.
func (p Plan) Steps() int {
	if p.Search != nil {
		return 0
	}
	return max(p.Trials, 1) * len(p.combos())
}

// Step is r's place in the plan's order, from 0, counting every planned
// run (whether or not an earlier one ran): the slot of --sweep-step-seconds,
// the same on every shard. A search's probe counts as its own step.
func (p Plan) Step(r Run) int {
	n := max(p.Trials, 1)
	switch {
	case p.Search != nil:
		return r.Index
	case p.Adaptive != nil || p.MultiTier != nil || p.Independent: // a setting's trials, one after another
		return r.Index*n + r.Trial - 1
	default:
		return (r.Trial-1)*len(p.combos()) + r.Index
	}
}
