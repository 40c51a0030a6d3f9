package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/sweep"
)

// sweepCells lists the setting directories of a one-trial sweep directory
// (a sweep_aggregate/ or the sweep's plan beside directories that hold
// records, none of its own); false when dir is no such sweep.
func sweepCells(dir string) ([]string, bool) {
	if report.HasRecords(dir) {
		return nil, false
	}
	_, errPlan := os.Stat(filepath.Join(dir, sweep.PlanJSONFile))
	if _, err := os.Stat(filepath.Join(dir, "sweep_aggregate")); err != nil && errPlan != nil {
		return nil, false
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, false
	}
	var cells []string
	for _, e := range entries {
		if e.IsDir() && report.HasRecords(filepath.Join(dir, e.Name())) {
			cells = append(cells, e.Name())
		}
	}
	return cells, len(cells) > 0
}

// runSweepReport is `report` over shards of one sweep: each setting's
// directory is merged across the shards as one run's shards are, into
// out/<setting>, then the sweep summary is written again from the merged
// settings, as the live run wrote it (sweepPlan).
func runSweepReport(dirs []string, cells []string, out, goodput string, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "aiperf-exporter report: %v\n", err)
		return 2
	}
	for _, d := range dirs[1:] {
		other, ok := sweepCells(d)
		if !ok || !slices.Equal(other, cells) {
			return fail(fmt.Errorf("%s holds other settings than %s (%v, %v): shards of one sweep hold the same", d, dirs[0], other, cells))
		}
	}
	plan, err := sweepPlan(dirs[0], out, cells)
	if err != nil {
		return fail(fmt.Errorf("%s: %w", dirs[0], err))
	}
	plan.HasGoodput = plan.HasGoodput || goodput != ""
	for _, c := range plan.Combos {
		cell := plan.Cell(c)
		args := []string{"--output", filepath.Join(out, cell)}
		if goodput != "" {
			args = append(args, "--goodput", goodput)
		}
		for _, d := range dirs {
			args = append(args, filepath.Join(d, cell))
		}
		fmt.Fprintf(stdout, "\n%s:\n", cell)
		if code := runReport(args, stdout, stderr); code != 0 {
			return code
		}
	}
	// The merged settings keep the runs' export names (a re-render in place
	// keeps a --profile-export-prefix): the summary reads them by those.
	names, err := report.FindNames(filepath.Join(out, plan.Cell(plan.Combos[0])))
	if err != nil {
		return fail(err)
	}
	plan.Export = names.JSON
	done := func(ctx context.Context, r sweep.Run) error { return nil } // merged above: only summarise
	if err := sweep.Execute(context.Background(), *plan, done, stdout); err != nil {
		fmt.Fprintf(stderr, "aiperf-exporter report: %v\n", err)
		return 1
	}
	return 0
}

// sweepPlan is the plan the live sweep recorded in dir, with Base out,
// when it names the settings found (cells); else, for a sweep that
// recorded none, the plan its directories' names give (planFromCells).
func sweepPlan(dir, out string, cells []string) (*sweep.Plan, error) {
	plan, err := sweep.ReadPlan(dir)
	if err != nil || plan == nil {
		if err != nil {
			return nil, err
		}
		return planFromCells(out, cells)
	}
	var named []string
	for _, c := range plan.Combos {
		named = append(named, plan.Cell(c))
	}
	slices.Sort(named)
	if !slices.Equal(named, cells) {
		return nil, fmt.Errorf("holds the settings %v, its %s names %v", cells, sweep.PlanJSONFile, named)
	}
	plan.Base = out
	return plan, nil
}

// planFromCells rebuilds a one-trial sweep's plan from its setting
// directories' names (concurrency_4, isl_128__concurrency_8,
// request_rate_2.5): a value with a decimal point is no whole number.
func planFromCells(base string, cells []string) (*sweep.Plan, error) {
	plan := &sweep.Plan{Base: base, Trials: 1, Level: 0.95}
	for i, cell := range cells {
		parts := strings.Split(cell, "__")
		if i > 0 && len(parts) != len(plan.Params) {
			return nil, fmt.Errorf("setting %s does not name the settings %s does", cell, cells[0])
		}
		c := make(sweep.Combo, len(parts))
		for j, part := range parts {
			at := strings.LastIndex(part, "_")
			v, err := strconv.ParseFloat(part[at+1:], 64)
			if at <= 0 || err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s is no setting directory (name_value)", cell)
			}
			if i == 0 {
				plan.Params = append(plan.Params, sweep.Param{Name: part[:at], Whole: !strings.Contains(part[at+1:], ".")})
			} else if plan.Params[j].Name != part[:at] {
				return nil, fmt.Errorf("setting %s does not name the settings %s does", cell, cells[0])
			}
			c[j] = v
			if !slices.Contains(plan.Params[j].Values, v) {
				plan.Params[j].Values = append(plan.Params[j].Values, v)
			}
		}
		plan.Combos = append(plan.Combos, c)
	}
	slices.SortFunc(plan.Combos, func(a, b sweep.Combo) int { return slices.Compare(a, b) })
	for i := range plan.Params {
		slices.Sort(plan.Params[i].Values)
	}
	return plan, nil
}
