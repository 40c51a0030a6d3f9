package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// RunFunc runs one profile into dir with the swept setting at v (ignored
// when nothing is swept), writing its report as a single run does.
type RunFunc func(ctx context.Context, dir string, v float64) error

// Failed is a run that did not finish, as AIPerf lists it in the metadata.
type Failed struct {
	Label string `json:"label"`
	Error string `json:"error"`
}

// cell is one swept value and the runs made at it.
type cell struct {
	value  float64
	labels []string           // the runs that finished
	runs   []map[string]Value // their JSON exports, flattened
	failed []Failed
}

// Execute runs the plan, trial after trial, each trial the whole sweep in
// order, then writes the aggregates and (for a sweep) the summary and its
// plots. A failed run is listed and the others go on; ctx ending stops the
// runs and what finished is still summarised. The error is the first
// run's failure when none finished, else says how many failed.
func Execute(ctx context.Context, p Plan, run RunFunc, stdout io.Writer) error {
	cells := make([]*cell, len(p.values()))
	for i, v := range p.values() {
		cells[i] = &cell{value: v}
	}
	var firstErr error
	first := true
	for trial := 1; trial <= max(p.Trials, 1) && ctx.Err() == nil; trial++ {
		for _, c := range cells {
			if ctx.Err() != nil {
				break
			}
			if !first && p.Cooldown > 0 {
				select {
				case <-ctx.Done():
				case <-time.After(p.Cooldown):
				}
			}
			first = false
			label := p.runLabel(trial)
			dir := p.RunDir(trial, c.value)
			err := run(ctx, dir, c.value)
			if err != nil && ctx.Err() == nil { // an interrupted run still wrote its report
				firstErr = cmp(firstErr, err)
				c.failed = append(c.failed, Failed{Label: label, Error: err.Error()})
				continue
			}
			exp, rerr := ReadExport(dir)
			if rerr != nil {
				firstErr = cmp(firstErr, cmp(err, rerr))
				c.failed = append(c.failed, Failed{Label: label, Error: cmp(err, rerr).Error()})
				continue
			}
			c.labels, c.runs = append(c.labels, label), append(c.runs, exp)
		}
	}
	done, failed := 0, 0
	for _, c := range cells {
		done, failed = done+len(c.runs), failed+len(c.failed)
	}
	if done == 0 {
		if firstErr == nil {
			firstErr = errors.New("no run finished")
		}
		return firstErr
	}
	if err := writeAll(p, cells, stdout); err != nil {
		return err
	}
	if failed > 0 { // summarised without them; the exit code still says so
		return fmt.Errorf("%d of %d runs failed (listed in failed_runs); the first: %v", failed, done+failed, firstErr)
	}
	return nil
}

func cmp(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// writeAll writes each value's confidence aggregate (repeated runs) and the
// sweep summary with its plots (a sweep).
func writeAll(p Plan, cells []*cell, stdout io.Writer) error {
	if p.Trials > 1 {
		for _, c := range cells {
			if len(c.runs) < 2 {
				fmt.Fprintf(stdout, "%s: %d run(s) finished; confidence intervals need at least 2, no aggregate written\n", orAll(p.Cell(c.value)), len(c.runs))
				continue
			}
			a := newAggregate(p, c)
			if err := a.write(p.AggregateDir(c.value)); err != nil {
				return err
			}
			a.print(stdout, p.Cell(c.value))
		}
	}
	if p.Param == nil {
		return nil
	}
	s := newSummary(p, cells)
	if err := s.write(p.SweepDir()); err != nil {
		return err
	}
	s.print(stdout)
	return s.plot(p.SweepDir(), stdout, p.HasGoodput)
}

func orAll(name string) string {
	if name == "" {
		return "profile runs"
	}
	return name
}
