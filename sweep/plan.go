// Package sweep runs one profile after another — a list of --concurrency or
// --request-rate values, --num-profile-runs repeats of each, or both — and
// summarises them as AIPerf's multi-run aggregates: every run keeps the
// artifact directory and exports a single run writes; the aggregates read
// those exports back.
package sweep

import (
	"fmt"
	"path/filepath"
	"strconv"
	"time"
)

// Param is the swept setting, as AIPerf names it in directories and summaries.
type Param struct {
	Name   string // "concurrency" or "request_rate"
	Values []float64
}

// Plan is how the runs are laid out, AIPerf's layout for the default
// (repeated) order: each trial runs the whole sweep.
type Plan struct {
	Base       string // the artifact directory of the whole sweep
	Param      *Param // nil when only repeating one setting
	Trials     int    // --num-profile-runs
	Level      float64
	Cooldown   time.Duration // --profile-run-cooldown-seconds, between runs
	HasGoodput bool          // --goodput was given: mark the loads that meet it
}

// values are the swept values, or one placeholder when nothing is swept.
func (p Plan) values() []float64 {
	if p.Param == nil {
		return []float64{0}
	}
	return p.Param.Values
}

// Cell names one swept value's directory as AIPerf does: concurrency_10,
// request_rate_5.0.
func (p Plan) Cell(v float64) string {
	if p.Param == nil {
		return ""
	}
	return p.Param.Name + "_" + p.format(v)
}

// format writes a value as AIPerf (Python) prints it: integers for
// concurrency, floats with a decimal point for rates.
func (p Plan) format(v float64) string {
	if p.Param.Name == "concurrency" {
		return strconv.Itoa(int(v))
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if v == float64(int64(v)) {
		s += ".0"
	}
	return s
}

// RunDir is the artifact directory of one run (trial counts from 1).
func (p Plan) RunDir(trial int, v float64) string {
	switch {
	case p.Trials <= 1:
		return filepath.Join(p.Base, p.Cell(v))
	case p.Param == nil:
		return filepath.Join(p.Base, "profile_runs", fmt.Sprintf("run_%04d", trial))
	default:
		return filepath.Join(p.Base, "profile_runs", fmt.Sprintf("trial_%04d", trial), p.Cell(v))
	}
}

// runLabel names a run in the aggregate's metadata.
func (p Plan) runLabel(trial int) string {
	if p.Param == nil {
		return fmt.Sprintf("run_%04d", trial)
	}
	return fmt.Sprintf("trial_%04d", trial)
}

// AggregateDir holds one value's confidence aggregate (Trials > 1).
func (p Plan) AggregateDir(v float64) string {
	return filepath.Join(p.Base, "aggregate", p.Cell(v))
}

// SweepDir holds the sweep summary and its plots.
func (p Plan) SweepDir() string {
	if p.Trials > 1 {
		return filepath.Join(p.Base, "aggregate", "sweep_aggregate")
	}
	return filepath.Join(p.Base, "sweep_aggregate")
}
