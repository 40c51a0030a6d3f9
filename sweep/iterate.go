package sweep

import (
	"context"
	"fmt"
	"path/filepath"
)

// iteration results of a search: the setting run and its trials.
type trials struct {
	Index  int
	Combo  Combo
	Exps   []map[string]Value // the exports of the trials that reported
	Dirs   []string           // their directories
	Failed []Failed           // the trials that did not
}

// iterate is the loop every search shares: it runs the settings next names,
// one iteration each (runTrials), with the sweep cooldown between them,
// until next has none or ctx ends, and hands each to judge. An iteration
// interrupted before any report gets no verdict. It fails with judge's
// error, or when no trial reported at all: with the first failure, or
// "no <what> finished".
func iterate(ctx context.Context, p Plan, run RunFunc, what string, next func() (Combo, bool), judge func(trials) error) error {
	var firstErr error
	reported := false
	for i := 0; ctx.Err() == nil; i++ {
		c, ok := next()
		if !ok {
			break
		}
		if i > 0 {
			wait(ctx, p.SweepCooldown)
		}
		t := trials{Index: i, Combo: c}
		t.Exps, t.Dirs, t.Failed = runTrials(ctx, p, run, i, c)
		if len(t.Failed) > 0 {
			firstErr = cmp(firstErr, fmt.Errorf("%s: %s", t.Failed[0].Label, t.Failed[0].Error))
		}
		if ctx.Err() != nil && len(t.Exps) == 0 {
			break // interrupted before it had a report: no verdict
		}
		reported = reported || len(t.Exps) > 0
		if err := judge(t); err != nil {
			return err
		}
	}
	if !reported {
		return cmp(firstErr, fmt.Errorf("no %s finished", what))
	}
	return nil
}

// runTrials runs iteration i of a search at setting c, --num-profile-runs
// times, into search_iter_NNNN/profile_runs/run_NNNN: the exports and
// directories of the runs that reported, and those that did not.
func runTrials(ctx context.Context, p Plan, run RunFunc, i int, c Combo) (exps []map[string]Value, dirs []string, failed []Failed) {
	label := fmt.Sprintf("search_iter_%04d", i)
	for trial := 1; trial <= max(p.Trials, 1) && ctx.Err() == nil; trial++ {
		if trial > 1 {
			wait(ctx, p.RunCooldown)
		}
		r := Run{Dir: filepath.Join(p.Base, label, "profile_runs", fmt.Sprintf("run_%04d", trial)), Combo: c, Index: i, Label: label, Trial: trial}
		err := run(ctx, r)
		var exp map[string]Value
		if err == nil || ctx.Err() != nil { // an interrupted run still wrote its report
			exp, err = ReadExport(r.Dir, p.Export)
		}
		if err != nil {
			failed = append(failed, Failed{Label: r.Dir, Error: err.Error()})
			continue
		}
		exps, dirs = append(exps, exp), append(dirs, r.Dir)
	}
	return exps, dirs, failed
}

// concurrencies turns a concurrency planner's Next into iterate's.
func concurrencies(next func() (int, bool)) func() (Combo, bool) {
	return func() (Combo, bool) {
		v, ok := next()
		return Combo{float64(v)}, ok
	}
}
