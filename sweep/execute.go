package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Run is one run of a plan.
type Run struct {
	Dir   string // its artifact directory
	Combo Combo  // its setting (nil when nothing is swept)
	Index int    // the setting's place in the sweep, from 0
	Label string // the setting as AIPerf labels it: "concurrency=4, isl=128"; "base" when nothing is swept
	Trial int    // from 1
}

// RunFunc makes one run, writing its report into r.Dir as a single run does.
type RunFunc func(ctx context.Context, r Run) error

// Failed is a run that did not finish, as AIPerf lists it in the metadata.
type Failed struct {
	Label string `json:"label"`
	Error string `json:"error"`
}

// cell is one setting and the runs made at it.
type cell struct {
	combo     Combo
	labels    []string           // the runs that finished
	runs      []map[string]Value // their JSON exports, flattened
	failed    []Failed
	converged string // why its trials stopped early; "" while they go on
}

// Execute runs the plan — trial after trial, each the whole sweep in order,
// or (Independent) setting after setting, each with all its trials — then
// writes the aggregates and (for a sweep) the summary and its plots. A
// failed run is listed and the others go on; ctx ending stops the runs and
// what finished is still summarised. The error is the first run's failure
// when none finished, else says how many failed.
func Execute(ctx context.Context, p Plan, run RunFunc, stdout io.Writer) error {
	if p.Search != nil {
		return search(ctx, p, run, stdout)
	}
	if p.Adaptive != nil {
		return adaptive(ctx, p, run, stdout)
	}
	if p.MultiTier != nil {
		return multiTier(ctx, p, run, stdout)
	}
	if len(p.Params) > 0 && p.Trials == 1 { // what `report` rebuilds the summary from
		if err := writePlan(p); err != nil {
			return err
		}
	}
	cells := make([]*cell, len(p.combos()))
	for i, c := range p.combos() {
		cells[i] = &cell{combo: c}
	}
	var firstErr error
	prevTrial, prevCell := 0, -1
	one := func(trial, i int) {
		c := cells[i]
		if ctx.Err() != nil || c.converged != "" {
			return
		}
		if prevCell >= 0 {
			wait(ctx, p.cooldown(prevTrial, prevCell, trial, i))
		}
		prevTrial, prevCell = trial, i
		r := Run{Dir: p.RunDir(trial, c.combo), Combo: c.combo, Index: i, Label: "base", Trial: trial}
		if len(p.Params) > 0 {
			r.Label = p.Label(c.combo)
		}
		label := p.runLabel(trial)
		err := run(ctx, r)
		if err != nil && ctx.Err() == nil { // an interrupted run still wrote its report
			firstErr = cmp(firstErr, err)
			c.failed = append(c.failed, Failed{Label: label, Error: err.Error()})
			return
		}
		exp, rerr := ReadExport(r.Dir, p.Export)
		if rerr != nil {
			firstErr = cmp(firstErr, cmp(err, rerr))
			c.failed = append(c.failed, Failed{Label: label, Error: cmp(err, rerr).Error()})
			return
		}
		c.labels, c.runs = append(c.labels, label), append(c.runs, exp)
		if p.Converge != nil && trial < p.Trials {
			if ok, why := p.Converge.Converged(c.runs); ok {
				c.converged = why
				fmt.Fprintf(stdout, "%s: converged, no more trials (%s)\n", orAll(p.Cell(c.combo)), why)
			}
		}
	}
	trials := max(p.Trials, 1)
	if p.Independent {
		for i := range cells {
			for trial := 1; trial <= trials; trial++ {
				one(trial, i)
			}
		}
	} else {
		for trial := 1; trial <= trials; trial++ {
			for i := range cells {
				one(trial, i)
			}
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

// cooldown is the wait before the run of (trial, cell) after the run of
// (prevTrial, prevCell): the outer loop's cooldown where the outer loop
// moves on, the inner one's otherwise. Repeated order: a new trial waits
// --profile-run-cooldown-seconds, the next setting within a trial
// --parameter-sweep-cooldown-seconds; independent order the other way round.
func (p Plan) cooldown(prevTrial, prevCell, trial, cell int) time.Duration {
	if p.Independent {
		if cell != prevCell {
			return p.SweepCooldown
		}
		return p.RunCooldown
	}
	if trial != prevTrial {
		return p.RunCooldown
	}
	return p.SweepCooldown
}

func wait(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func cmp(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// writeAll writes each setting's confidence aggregate (repeated runs) and
// the sweep summary with its plots (a sweep).
func writeAll(p Plan, cells []*cell, stdout io.Writer) error {
	if p.Trials > 1 {
		for _, c := range cells {
			if len(c.runs) < 2 {
				fmt.Fprintf(stdout, "%s: %d run(s) finished; confidence intervals need at least 2, no aggregate written\n", orAll(p.Cell(c.combo)), len(c.runs))
				continue
			}
			a := newAggregate(p, c)
			if err := a.write(p.AggregateDir(c.combo)); err != nil {
				return err
			}
			a.print(stdout, p.Cell(c.combo))
		}
	}
	if len(p.Params) == 0 {
		return nil
	}
	s := newSummary(p, cells)
	if err := s.write(p.SweepDir()); err != nil {
		return err
	}
	if !p.NoTable {
		s.print(stdout)
	}
	if p.Params[0].Labels == nil { // variants are no load: they have no capacity curve
		if err := s.plot(p.SweepDir(), stdout, p.HasGoodput); err != nil {
			return err
		}
	}
	s.postProcess(p, stdout)
	return nil
}

func orAll(name string) string {
	if name == "" {
		return "profile runs"
	}
	return name
}
