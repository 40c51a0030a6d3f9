package main

import (
	"context"
	"errors"
	"io"
	"maps"
	"path/filepath"
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/options"
	prof "github.com/aiperf-exporter/aiperf-exporter/profile"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/sweep"
)

// multiRunSeed is the seed AIPerf fixes when repeated runs are asked for and
// none is given, so that every run sends the same workload.
const multiRunSeed = 42

// planSweep lays out a sweep (--concurrency or --request-rate lists) and
// repeated runs (--num-profile-runs) as AIPerf does; nil when s is one run.
func planSweep(s prof.Settings, sw *options.Sweep) (*sweep.Plan, error) {
	p := s.Profile
	if p.NumProfileRuns < 1 {
		return nil, &options.Error{Flag: "num-profile-runs", Msg: "must be at least 1"}
	}
	if !(p.ConfidenceLevel > 0 && p.ConfidenceLevel < 1) {
		return nil, &options.Error{Flag: "confidence-level", Msg: "must be between 0 and 1 (0.95 = 95%)"}
	}
	if sw == nil && p.NumProfileRuns == 1 {
		return nil, nil
	}
	plan := &sweep.Plan{Trials: p.NumProfileRuns, Level: p.ConfidenceLevel, HasGoodput: s.Options.Goodput != "",
		Cooldown: time.Duration(p.ProfileRunCooldown * float64(time.Second))}
	spec := report.ArtifactSpec{Base: p.ArtifactDir, Explicit: s.Set["artifact-dir"], Models: s.Options.Models,
		EndpointType: s.Options.EndpointType, Concurrency: s.Options.Concurrency, RequestRate: s.Options.RequestRate}
	plan.Base = report.ArtifactDir(spec)
	if sw != nil {
		plan.Param = &sweep.Param{Name: sw.Name(), Values: sw.Values}
		if !spec.Explicit { // ours: the single run's name with the sweep in place of its load
			spec.Concurrency, spec.RequestRate = 1, 0
			one := report.ArtifactDir(spec)
			plan.Base = strings.TrimSuffix(one, "-concurrency1") + "-" + sw.Name() + "_sweep"
		}
	}
	plan.Base = filepath.Clean(plan.Base)
	return plan, nil
}

// runSweep runs every run of the plan as a single `profile` run into its own
// artifact directory, then writes the aggregates.
func runSweep(ctx context.Context, s prof.Settings, sw *options.Sweep, plan *sweep.Plan, stdout, stderr io.Writer) error {
	if plan.Trials > 1 && s.Options.RandomSeed == 0 {
		s.Options.RandomSeed = multiRunSeed
	}
	first := true
	run := func(ctx context.Context, dir string, v float64) error {
		one := s
		if !first { // --start-at starts the sweep; the runs then follow one another
			one.Profile.StartAt = ""
		}
		first = false
		one.Set = maps.Clone(s.Set)
		one.Set["artifact-dir"] = true
		one.Profile.ArtifactDir = dir
		if sw != nil {
			one.Args = sw.Args(s.Args, v)
		}
		if plan.Param != nil {
			switch plan.Param.Name {
			case "concurrency":
				one.Options.Concurrency = int(v)
			default:
				one.Options.RequestRate = v
			}
			if err := one.Options.Validate(); err != nil {
				return err
			}
		}
		r, err := prof.New(one)
		if err != nil {
			return err
		}
		return r.Execute(ctx, stdout, stderr)
	}
	err := sweep.Execute(ctx, *plan, run, stdout)
	var exit *prof.ExitError
	var bad *options.Error
	if err != nil && !errors.As(err, &exit) && !errors.As(err, &bad) {
		err = &prof.ExitError{Code: 1, Err: err}
	}
	return err
}
