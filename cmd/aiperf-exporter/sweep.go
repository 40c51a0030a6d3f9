package main

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	prof "github.com/aiperf-exporter/aiperf-exporter/profile"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/sweep"
)

// multiRunSeed is the seed AIPerf fixes when repeated runs are asked for and
// none is given, so that every run sends the same workload.
const multiRunSeed = 42

// planSweep lays out a sweep (lists given to --concurrency, --request-rate,
// --isl, --osl ...) and repeated runs (--num-profile-runs) as AIPerf does;
// nil when s is one run.
func planSweep(s prof.Settings, sw *options.Sweep) (*sweep.Plan, error) {
	p := s.Profile
	if p.NumProfileRuns < 1 {
		return nil, &options.Error{Flag: "num-profile-runs", Msg: "must be at least 1"}
	}
	if !(p.ConfidenceLevel > 0 && p.ConfidenceLevel < 1) {
		return nil, &options.Error{Flag: "confidence-level", Msg: "must be between 0 and 1 (0.95 = 95%)"}
	}
	if err := checkMultiRun(s); err != nil {
		return nil, err
	}
	rc, err := expandRecipe(s, sw)
	if err != nil {
		return nil, err
	}
	slas, err := searchSLAs(p)
	if err != nil {
		return nil, err
	}
	vs, err := variants(s, sw)
	if err != nil {
		return nil, err
	}
	as, err := adaptiveSearch(s, sw, slas)
	if err != nil {
		return nil, err
	}
	if len(p.SearchSLATier) > 0 && rc == nil && as == nil { // checked in full with the search below
		return nil, &options.Error{Flag: "search-sla-tier", Msg: needsAdaptive}
	}
	if len(slas) > 0 && p.SearchRecipe == "pareto-sweep" { // AIPerf's: a scenario recipe has no search to filter
		return nil, &options.Error{Flag: "search-sla", Msg: "is not applied to a scenario recipe (pareto-sweep): it filters a search or a grid"}
	}
	if len(slas) > 0 && sw == nil && rc == nil && vs == nil && as == nil {
		return nil, &options.Error{Flag: "search-sla", Msg: "needs a sweep to judge: a list (--concurrency 1,2,4), --variant, --search-recipe or --search-space"}
	}
	if sw == nil && rc == nil && vs == nil && as == nil && p.NumProfileRuns == 1 {
		return nil, nil
	}
	names, err := prof.ExportNames(p)
	if err != nil {
		return nil, err
	}
	plan := &sweep.Plan{Trials: p.NumProfileRuns, Level: p.ConfidenceLevel, HasGoodput: s.Options.Goodput != "", Export: names.JSON,
		Independent: p.SweepMode == "independent", NoTable: p.NoSweepTable,
		RunCooldown:   time.Duration(p.ProfileRunCooldown * float64(time.Second)),
		SweepCooldown: time.Duration(p.SweepCooldown * float64(time.Second))}
	if p.ConvergenceMetric != "" && p.NumProfileRuns > 1 {
		plan.Converge = &sweep.Convergence{Metric: p.ConvergenceMetric, Stat: p.ConvergenceStat,
			Mode: p.ConvergenceMode, Threshold: p.ConvergenceThreshold, Level: p.ConfidenceLevel}
	}
	spec := report.ArtifactSpec{Base: p.ArtifactDir, Explicit: s.Set["artifact-dir"], Models: s.Options.Models,
		EndpointType: s.Options.EndpointType, Concurrency: s.Options.Concurrency, RequestRate: s.Options.RequestRate}
	plan.Base = report.ArtifactDir(spec)
	switch {
	case rc != nil:
		plan.Params, plan.Combos, plan.SLA, plan.Degrade, plan.Search, plan.Adaptive = rc.params, rc.combos, rc.sla, rc.degrade, rc.search, rc.adaptive
		plan.HasGoodput = plan.HasGoodput || p.SearchRecipe == "max-goodput-under-slo"
	case as != nil:
		plan.Params, plan.Search, plan.Adaptive = as.params, as.search, as.adaptive
	case vs != nil:
		plan.Params = []sweep.Param{variantParam(vs)}
		plan.Combos = sweep.Grid(plan.Params)
	case sw != nil:
		for _, l := range sw.Lists {
			plan.Params = append(plan.Params, sweep.Param{Name: l.Name, Values: l.Values, Whole: l.Whole})
		}
		plan.Combos = sweep.Grid(plan.Params)
		if p.SweepType == "zip" && len(plan.Params) > 1 {
			combos, err := sweep.Zip(plan.Params)
			if err != nil {
				return nil, &options.Error{Flag: "sweep-type", Msg: err.Error()}
			}
			plan.Combos = combos
		}
	}
	if p.SearchRecipe != "max-concurrency-under-sla" && p.SearchRecipe != "max-goodput-under-slo" { // those have them among their own
		plan.SLA = append(plan.SLA, slas...)
	}
	search := as // the adaptive search the tiers run on, if any
	if search == nil {
		search = rc
	}
	mt, err := multiTierSearch(s, search, plan.SLA) // every tier judged on the search's SLAs too
	if err != nil {
		return nil, err
	}
	if mt != nil { // the tiers' search in place of the recipe's or the planner's, as AIPerf's planner factory
		plan.Params, plan.Combos, plan.Search, plan.Adaptive, plan.MultiTier = []sweep.Param{mt.Dim.Param}, nil, nil, nil, mt
	}
	if len(plan.Params) > 0 {
		var names []string
		for _, param := range plan.Params {
			names = append(names, param.Name)
		}
		if rc != nil {
			names = []string{strings.ReplaceAll(p.SearchRecipe, "-", "_")}
		}
		if as != nil {
			names = []string{"search"}
		}
		if !spec.Explicit { // ours: the single run's name with the sweep in place of its load
			spec.Concurrency, spec.RequestRate = 1, 0
			one := report.ArtifactDir(spec)
			plan.Base = strings.TrimSuffix(one, "-concurrency1") + "-" + strings.Join(names, "_") + "_sweep"
		}
	}
	plan.Base = filepath.Clean(plan.Base)
	return plan, nil
}

// checkMultiRun checks the Multi-Run settings as AIPerf does.
func checkMultiRun(s prof.Settings) error {
	p := s.Profile
	switch {
	case p.SweepType != "grid" && p.SweepType != "zip":
		return &options.Error{Flag: "sweep-type", Msg: fmt.Sprintf("must be grid or zip, got %s", clip.Quote(p.SweepType))}
	case p.SweepMode != "repeated" && p.SweepMode != "independent":
		return &options.Error{Flag: "parameter-sweep-mode", Msg: fmt.Sprintf("must be repeated or independent, got %s", clip.Quote(p.SweepMode))}
	case p.SweepSameSeed && !p.NoSweepSameSeed && !s.Set["random-seed"]:
		return &options.Error{Flag: "parameter-sweep-same-seed", Msg: "needs --random-seed"}
	case p.ConvergenceMode == "distribution":
		return &options.Error{Flag: "convergence-mode", Msg: "not yet supported: distribution (the KS test over the records); use ci_width or cv"}
	case p.ConvergenceMode != "ci_width" && p.ConvergenceMode != "cv":
		return &options.Error{Flag: "convergence-mode", Msg: fmt.Sprintf("must be ci_width, cv or distribution, got %s", clip.Quote(p.ConvergenceMode))}
	case p.SweepStepSeconds > 0 && p.StartAt == "":
		return &options.Error{Flag: "sweep-step-seconds", Msg: "needs --start-at, the time of the first step"}
	case p.SweepStepSeconds > 0 && p.ConvergenceMetric != "":
		return &options.Error{Flag: "sweep-step-seconds", Msg: "steps on fixed slots need every planned run: not with --convergence-metric"}
	case !slices.Contains([]string{"avg", "p50", "p90", "p95", "p99", "min", "max"}, p.ConvergenceStat):
		return &options.Error{Flag: "convergence-stat", Msg: fmt.Sprintf("must be avg, p50, p90, p95, p99, min or max, got %s", clip.Quote(p.ConvergenceStat))}
	case p.ConvergenceMetric != "" && !knownMetric(p.ConvergenceMetric):
		return &options.Error{Flag: "convergence-metric", Msg: fmt.Sprintf("%s is not a metric tag (e.g. time_to_first_token)", clip.Quote(p.ConvergenceMetric))}
	case p.ConvergenceThreshold != 0 && !(p.ConvergenceThreshold > 0 && p.ConvergenceThreshold < 1):
		return &options.Error{Flag: "convergence-threshold", Msg: fmt.Sprintf("must be between 0 and 1, got %g", p.ConvergenceThreshold)}
	}
	if p.ConvergenceMetric == "" {
		return options.RefuseWithout(s.Set, "needs --convergence-metric", "convergence-mode", "convergence-stat", "convergence-threshold")
	}
	return nil
}

// maxSlotSeconds is the latest a --sweep-step-seconds slot may start after
// --start-at: the 100 years every duration is held to (time.Duration and a
// Unix time in nanoseconds overflow not far beyond).
const maxSlotSeconds = 100 * 365 * 24 * 3600

// slotOffset is how long after --start-at the run at step starts:
// step x --sweep-step-seconds, refused beyond maxSlotSeconds.
func slotOffset(step int, seconds float64) (time.Duration, error) {
	d := float64(step) * seconds
	if d > maxSlotSeconds {
		return 0, &options.Error{Flag: "sweep-step-seconds", Msg: fmt.Sprintf("run %d of the plan would start %g s after --start-at, beyond 100 years", step, d)}
	}
	return time.Duration(d * float64(time.Second)), nil
}

// knownMetric tells whether tag names a metric of the export, so a typo is
// refused before the runs instead of converging never.
func knownMetric(tag string) bool {
	_, ok := metrics.Lookup(tag)
	return ok
}

// runSweep runs every run of the plan as a single `profile` run into its own
// artifact directory, then writes the aggregates.
func runSweep(ctx context.Context, s prof.Settings, sw *options.Sweep, plan *sweep.Plan, stdout, stderr io.Writer) error {
	p := s.Profile
	seed, seeded := s.Options.RandomSeed, s.Set["random-seed"]
	if plan.Trials > 1 && !seeded && p.SetConsistentSeed && !p.NoSetConsistentSeed {
		seed, seeded = multiRunSeed, true
	}
	var startAt time.Time
	if p.StartAt != "" {
		at, err := prof.ParseStartAt(p.StartAt)
		if err != nil {
			return &options.Error{Flag: "start-at", Msg: err.Error()}
		}
		startAt = at
	}
	if p.SweepStepSeconds > 0 && plan.Steps() > 0 {
		if _, err := slotOffset(plan.Steps()-1, p.SweepStepSeconds); err != nil {
			return err // before any run: the last slot is off the clock
		}
	}
	vs, err := variants(s, sw)
	if err != nil {
		return err
	}
	first := true
	run := func(ctx context.Context, r sweep.Run) error {
		one := s
		switch {
		case p.SweepStepSeconds > 0: // each run on its slot, the same on every shard
			step, err := slotOffset(plan.Step(r), p.SweepStepSeconds)
			if err != nil {
				return err
			}
			one.Profile.StartAt = startAt.Add(step).UTC().Format(time.RFC3339Nano)
		case !first: // --start-at starts the sweep; the runs then follow one another
			one.Profile.StartAt = ""
		}
		first = false
		one.Set = maps.Clone(s.Set)
		one.Set["artifact-dir"] = true
		one.Profile.ArtifactDir = r.Dir
		if seeded {
			one.Options.RandomSeed = runSeed(seed, r, p, len(plan.Params) > 0)
		}
		if r.Trial > 1 && p.DisableWarmupAfterFirst && !p.NoDisableWarmupAfterFirst {
			one.Options.WarmupCount, one.Options.WarmupDuration = 0, 0
		}
		if sw != nil {
			one.Args = sw.Args(s.Args, listValues(sw, plan, r.Combo))
		}
		if vs != nil {
			one = withVariant(one, vs[int(r.Combo[0])])
		}
		if p.SearchRecipe == "max-goodput-under-slo" { // the recipe's SLOs decide which requests are good
			one.Options.Goodput = goodputSLOs(p)
		}
		for i, param := range plan.Params {
			if param.Labels != nil {
				continue // a variant, applied above
			}
			options.SetSwept(&one.Options, param.Name, r.Combo[i])
			if p.SearchRecipe != "" { // a recipe's ISL and OSL are fixed numbers, as AIPerf's
				one.Options.InputTokensStddev, one.Options.OutputTokensStddev = 0, 0
				// AIPerf's recipe writes a bare isl/osl over the user's, so the run's
				// input_config has no stddev the user gave
				delete(one.Set, "synthetic-input-tokens-stddev")
				delete(one.Set, "output-tokens-stddev")
			}
		}
		if len(plan.Params) > 0 {
			if err := one.Options.Validate(); err != nil {
				return err
			}
		}
		pr, err := prof.New(one)
		if err != nil {
			return err
		}
		return pr.Execute(ctx, stdout, stderr)
	}
	warnReplaced(plan, stderr)
	err = sweep.Execute(ctx, *plan, run, stdout)
	var exit *prof.ExitError
	var bad *options.Error
	if err != nil && !errors.As(err, &exit) && !errors.As(err, &bad) {
		err = &prof.ExitError{Code: 1, Err: err}
	}
	return err
}

// listValues are the values of a run's setting for the lists of sw, in
// their order, so its command line echoes them.
func listValues(sw *options.Sweep, plan *sweep.Plan, c sweep.Combo) []float64 {
	out := make([]float64, len(sw.Lists))
	for i, l := range sw.Lists {
		for j, param := range plan.Params {
			if param.Name == l.Name {
				out[i] = c[j]
			}
		}
	}
	return out
}

// runSeed is the seed of one run, as AIPerf derives it from the sweep's
// seed: with --vary-seed-per-trial one of its own for every trial of a
// setting (SHA-256 over the seed, the setting's label and the trial; the
// bytes hashed are ours), else setting i of a sweep uses seed + i, or the
// seed itself with --parameter-sweep-same-seed.
func runSeed(seed int64, r sweep.Run, p options.Profile, swept bool) int64 {
	switch {
	case p.VarySeedPerTrial && !p.NoVarySeedPerTrial:
		sum := sha256.Sum256([]byte(fmt.Sprintf("%d:%s:trial:%d", seed, r.Label, r.Trial-1)))
		derived := int64(binary.BigEndian.Uint64(sum[:8]) >> 1)
		if derived == 0 { // 0 asks for a fresh seed
			derived = 1
		}
		return derived
	case swept && !(p.SweepSameSeed && !p.NoSweepSameSeed):
		return seed + int64(r.Index)
	}
	return seed
}
