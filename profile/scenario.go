package profile

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
)

// scenarioSpec is one of AIPerf's locked scenarios (--scenario): the
// settings it fills in when they are left unset and refuses when they are
// set otherwise. Every scenario replays Weka traces as agentic replay.
type scenarioSpec struct {
	minDuration, defaultDuration float64 // seconds
	minRatio, maxRatio           float64 // t* window filled in when unset
	systemIdleCap                float64 // seconds
	cacheBust                    string
}

// scenarios is AIPerf's scenario registry (aiperf/common/scenario).
var scenarios = map[string]scenarioSpec{
	"inferencex-agentx-mvp": {minDuration: 900, defaultDuration: 1800, minRatio: 0, maxRatio: 1, systemIdleCap: 10, cacheBust: "first_turn_prefix"},
}

// violation is a setting that conflicts with the scenario's lock.
type violation struct{ flag, msg string }

// scenarioLock checks and fills in the settings --scenario locks, as
// AIPerf's scenario validator: settings left unset take the scenario's
// values; set ones that conflict are refused (exit 2), or, with
// --unsafe-override, returned as warnings. A run without a Weka trace is
// refused even then: agentic replay needs the trace's timeline.
func scenarioLock(o *options.Options, p *options.Profile, set map[string]bool) (warnings []string, err error) {
	name := p.AIPerfScenario
	if name == "" {
		return nil, nil
	}
	spec, ok := scenarios[name]
	if !ok {
		valid := make([]string, 0, len(scenarios))
		for n := range scenarios {
			valid = append(valid, n)
		}
		sort.Strings(valid)
		return nil, &options.Error{Flag: "scenario", Msg: fmt.Sprintf("unknown scenario %s; valid scenarios: %s", clip.Quote(name), strings.Join(valid, ", "))}
	}
	if inputs.WekaLoader(o) == "" && o.InputFile == "" {
		return nil, &options.Error{Flag: "scenario", Msg: fmt.Sprintf("scenario %q replays Weka traces: give --input-file with them or --hf-weka-dataset (--unsafe-override cannot replace the dataset)", name)}
	}
	if o.RequestCount > 0 {
		return nil, &options.Error{Flag: "request-count", Msg: fmt.Sprintf("scenario %q runs for --benchmark-duration, which a request count cannot be combined with here", name)}
	}
	var vs []violation
	refuse := func(flag, format string, a ...any) {
		vs = append(vs, violation{flag, fmt.Sprintf(format, a...)})
	}
	for _, f := range []string{"request-rate", "arrival-pattern", "user-centric-rate", "request-rate-ramp-duration", "request-rate-series",
		"fixed-schedule", "fixed-schedule-auto-offset", "fixed-schedule-start-offset", "fixed-schedule-end-offset"} {
		if set[f] {
			refuse(f, "scenario %q runs agentic replay at --concurrency; leave --%s out", name, f)
		}
	}
	if v, err := inputs.ExtraInput(o.ExtraInputs, "ignore_eos"); err != nil {
		return nil, err
	} else if v == nil {
		o.ExtraInputs = append(o.ExtraInputs, "ignore_eos:true")
	} else if falsy(string(v)) {
		refuse("extra-inputs", "scenario %q requires ignore_eos=true, got %s", name, v)
	}
	if !o.Streaming {
		if set["streaming"] {
			refuse("streaming", "scenario %q requires --streaming (TTFT and ITL are core to it)", name)
		}
		o.Streaming = true
	}
	if o.IgnoreTraceDelays {
		refuse("ignore-trace-delays", "scenario %q replays the traces' recorded timing", name)
	}
	if o.SynthesisMaxISL > 0 {
		refuse("synthesis-max-isl", "scenario %q forbids client-side input truncation (it drops requests over the cap)", name)
	}
	if l := inputs.WekaLoader(o); l == "" {
		refuse("input-file", "scenario %q requires a Weka trace (weka_trace or weka_hf)", name)
	}
	if o.CacheBust != spec.cacheBust {
		if set["cache-bust"] {
			refuse("cache-bust", "scenario %q requires --cache-bust %s, got %s", name, spec.cacheBust, o.CacheBust)
		} else {
			o.CacheBust = spec.cacheBust
		}
	}
	if o.Duration == 0 && !set["benchmark-duration"] { // an explicit 0 is refused below
		o.Duration = spec.defaultDuration
	}
	if o.Duration < spec.minDuration {
		refuse("benchmark-duration", "scenario %q requires at least %gs to reach steady state, got %gs", name, spec.minDuration, o.Duration)
	}
	if !set["trajectory-start-min-ratio"] {
		p.TrajectoryStartMinRatio = spec.minRatio
	}
	if !set["trajectory-start-max-ratio"] {
		p.TrajectoryStartMaxRatio = spec.maxRatio
	}
	if !set["system-idle-gap-cap-seconds"] {
		p.SystemIdleGapCap = spec.systemIdleCap
	} else if p.SystemIdleGapCap != spec.systemIdleCap {
		refuse("system-idle-gap-cap-seconds", "scenario %q locks it to %g", name, spec.systemIdleCap)
	}
	if set["inter-turn-delay-cap-seconds"] {
		refuse("inter-turn-delay-cap-seconds", "scenario %q keeps each trace's recorded gaps", name)
	}
	if len(vs) == 0 {
		return nil, nil
	}
	if !p.UnsafeOverride {
		v := vs[0]
		more := ""
		if len(vs) > 1 {
			more = fmt.Sprintf(" (and %d more conflict(s))", len(vs)-1)
		}
		return nil, &options.Error{Flag: v.flag, Msg: v.msg + more + "; --unsafe-override runs anyway, as no valid submission"}
	}
	for _, v := range vs {
		warnings = append(warnings, fmt.Sprintf("scenario violation (--unsafe-override): --%s: %s", v.flag, v.msg))
	}
	return warnings, nil
}

// falsy is an extra input's value AIPerf takes for false.
func falsy(v string) bool {
	if s, err := strconv.Unquote(v); err == nil {
		v = s
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "false", "0", "no":
		return true
	}
	return false
}

// agenticFrom checks the agentic replay flags (always, as AIPerf's config
// does; options.CheckNumbers refused negative ones) and, when a scenario
// runs, returns the replay's settings.
func agenticFrom(o *options.Options, p *options.Profile, set map[string]bool) (probe.Agentic, error) {
	for _, r := range []struct {
		flag string
		v    float64
	}{{"trajectory-start-min-ratio", p.TrajectoryStartMinRatio}, {"trajectory-start-max-ratio", p.TrajectoryStartMaxRatio}} {
		if !(r.v >= 0 && r.v <= 1) {
			return probe.Agentic{}, &options.Error{Flag: r.flag, Msg: fmt.Sprintf("must be between 0 and 1 (a fraction of each trace), got %g", r.v)}
		}
	}
	if p.TrajectoryStartMinRatio > p.TrajectoryStartMaxRatio {
		return probe.Agentic{}, &options.Error{Flag: "trajectory-start-min-ratio", Msg: fmt.Sprintf("%g is above --trajectory-start-max-ratio %g", p.TrajectoryStartMinRatio, p.TrajectoryStartMaxRatio)}
	}
	if set["agentic-cache-warmup-duration"] && p.AgenticCacheWarmupDuration == 0 {
		return probe.Agentic{}, &options.Error{Flag: "agentic-cache-warmup-duration", Msg: "must be above 0 seconds, got 0"}
	}
	if p.AIPerfScenario == "" {
		return probe.Agentic{}, nil
	}
	return probe.Agentic{
		On:       true,
		MinRatio: p.TrajectoryStartMinRatio, MaxRatio: p.TrajectoryStartMaxRatio,
		AllowWrap:   p.AllowDatasetWrap && !p.NoAllowDatasetWrap,
		CacheBust:   o.CacheBust != "" && o.CacheBust != "none",
		BurstStarts: p.BurstPhaseStarts,
		IdleCap:     secs(p.SystemIdleGapCap), IdleCapSet: true, // the scenario's when not given
		TraceIdleCap: secs(o.TraceIdleGapCap),
		CacheWarmup:  secs(p.AgenticCacheWarmupDuration),
		WarmupGrace:  secs(p.AgenticWarmupGracePeriod), WarmupGraceSet: set["agentic-warmup-grace-period"],
	}, nil
}
