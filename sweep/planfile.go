package sweep

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
)

// PlanJSONFile is ours: the plan of a grid, zip or --variant sweep, written
// into its directory before the runs, so `report` rebuilds the summary
// exactly as the live run wrote it (the variants' names and order, a
// recipe's SLAs and degradation check), which the settings' directory
// names alone cannot tell.
const PlanJSONFile = "sweep_plan.json"

type (
	planJSON struct {
		Parameters      []paramJSON  `json:"parameters"`
		Combinations    []Combo      `json:"combinations"`
		SLAFilters      []slaJSON    `json:"sla_filters,omitempty"`
		Degradation     *degradeJSON `json:"degradation,omitempty"`
		Goodput         bool         `json:"goodput,omitempty"`
		ConfidenceLevel float64      `json:"confidence_level"`
		NoSweepTable    bool         `json:"no_sweep_table,omitempty"`
	}
	paramJSON struct {
		Name   string    `json:"name"`
		Values []float64 `json:"values"`
		Whole  bool      `json:"whole,omitempty"`
		Labels []string  `json:"labels,omitempty"`
	}
	degradeJSON struct {
		Metric    string  `json:"metric_tag"`
		Stat      string  `json:"stat"`
		Threshold float64 `json:"threshold"`
	}
)

// writePlan records the plan of a sweep over Combos in p.Base.
func writePlan(p Plan) error {
	if err := os.MkdirAll(p.Base, 0o755); err != nil {
		return err
	}
	pj := planJSON{Combinations: p.Combos, Goodput: p.HasGoodput, ConfidenceLevel: p.Level, NoSweepTable: p.NoTable}
	for _, param := range p.Params {
		pj.Parameters = append(pj.Parameters, paramJSON{Name: param.Name, Values: param.Values, Whole: param.Whole, Labels: param.Labels})
	}
	if len(p.SLA) > 0 {
		pj.SLAFilters = slaList(p.SLA)
	}
	if d := p.Degrade; d != nil {
		pj.Degradation = &degradeJSON{Metric: d.Metric, Stat: d.Stat, Threshold: d.Threshold}
	}
	return writeJSON(filepath.Join(p.Base, PlanJSONFile), pj)
}

// maxPlanBytes bounds the plan file read back (ours is a few KB).
const maxPlanBytes = 16 << 20

// ReadPlan is the one-trial plan recorded in dir (PlanJSONFile), with Base
// dir; nil when dir has none.
func ReadPlan(dir string) (*Plan, error) {
	path := filepath.Join(dir, PlanJSONFile)
	b, err := boundedfile.Read(path, maxPlanBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var pj planJSON
	if err := json.Unmarshal(b, &pj); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	p := &Plan{Base: dir, Trials: 1, Level: pj.ConfidenceLevel, Combos: pj.Combinations, HasGoodput: pj.Goodput, NoTable: pj.NoSweepTable}
	for _, param := range pj.Parameters {
		p.Params = append(p.Params, Param{Name: param.Name, Values: param.Values, Whole: param.Whole, Labels: param.Labels})
	}
	for _, f := range pj.SLAFilters {
		p.SLA = append(p.SLA, SLAFilter{Metric: f.Metric, Stat: f.Stat, Op: f.Op, Threshold: f.Threshold})
	}
	if d := pj.Degradation; d != nil {
		p.Degrade = &Degradation{Metric: d.Metric, Stat: d.Stat, Threshold: d.Threshold}
	}
	if err := p.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// check refuses a recorded plan that cannot have come from a sweep: a
// combination that does not give every parameter a value, or names a
// variant that is not there.
func (p *Plan) check() error {
	if len(p.Params) == 0 || len(p.Combos) == 0 {
		return errors.New("no parameters or no combinations")
	}
	for _, c := range p.Combos {
		if len(c) != len(p.Params) {
			return fmt.Errorf("combination %v does not give each of the %d parameters a value", c, len(p.Params))
		}
		for i, param := range p.Params {
			if param.Labels != nil && (c[i] < 0 || int(c[i]) >= len(param.Labels) || c[i] != float64(int(c[i]))) {
				return fmt.Errorf("combination %v names no variant of %v", c, param.Labels)
			}
		}
	}
	return nil
}
