package profile

import (
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

const wekaTraces = "../inputs/testdata/weka/agentic"

// The scenario fills in what is left unset, keeps what is set to its value,
// and with --unsafe-override turns each conflict into a warning.
func TestScenarioLockFillsIn(t *testing.T) {
	o := options.Options{InputFile: wekaTraces, CacheBust: "none", ExtraInputs: []string{"temperature:0"}}
	p := options.Profile{AIPerfScenario: "inferencex-agentx-mvp", TrajectoryStartMinRatio: 0.25, TrajectoryStartMaxRatio: 0.75}
	warnings, err := scenarioLock(&o, &p, map[string]bool{})
	if err != nil || warnings != nil {
		t.Fatalf("%v %v", warnings, err)
	}
	if !o.Streaming || o.CacheBust != "first_turn_prefix" || o.Duration != 1800 ||
		p.TrajectoryStartMinRatio != 0 || p.TrajectoryStartMaxRatio != 1 || p.SystemIdleGapCap != 10 ||
		strings.Join(o.ExtraInputs, ",") != "temperature:0,ignore_eos:true" {
		t.Errorf("not filled in: %+v / %+v", o, p)
	}

	o = options.Options{InputFile: wekaTraces, CacheBust: "none", Duration: 60, ExtraInputs: []string{"ignore_eos:true"}}
	p = options.Profile{AIPerfScenario: "inferencex-agentx-mvp", TrajectoryStartMinRatio: 0.3, TrajectoryStartMaxRatio: 0.4, UnsafeOverride: true, SystemIdleGapCap: 2}
	set := map[string]bool{"cache-bust": true, "trajectory-start-min-ratio": true, "trajectory-start-max-ratio": true, "system-idle-gap-cap-seconds": true}
	warnings, err = scenarioLock(&o, &p, set)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(warnings, "\n")
	for _, flag := range []string{"--cache-bust", "--benchmark-duration", "--system-idle-gap-cap-seconds"} {
		if !strings.Contains(got, flag) {
			t.Errorf("no warning for %s in %q", flag, got)
		}
	}
	if o.CacheBust != "none" || p.TrajectoryStartMinRatio != 0.3 || p.TrajectoryStartMaxRatio != 0.4 || p.SystemIdleGapCap != 2 || len(o.ExtraInputs) != 1 {
		t.Errorf("a given setting was replaced: %+v / %+v", o, p)
	}
}

func TestAgenticFromNeedsScenario(t *testing.T) {
	p := options.Profile{TrajectoryStartMinRatio: 0.25, TrajectoryStartMaxRatio: 0.75, BurstPhaseStarts: true}
	a, err := agenticFrom(&options.Options{}, &p, map[string]bool{})
	if err != nil || a.On {
		t.Errorf("without --scenario: %+v %v, want the replay off (AIPerf: a scenario selects it)", a, err)
	}
	p.AIPerfScenario = "inferencex-agentx-mvp"
	a, err = agenticFrom(&options.Options{CacheBust: "first_turn_prefix"}, &p, map[string]bool{})
	if err != nil || !a.On || !a.BurstStarts || !a.CacheBust || a.MinRatio != 0.25 {
		t.Errorf("with --scenario: %+v %v", a, err)
	}
	_, err = agenticFrom(&options.Options{}, &options.Profile{TrajectoryStartMaxRatio: 1, AgenticCacheWarmupDuration: 0}, map[string]bool{"agentic-cache-warmup-duration": true})
	if err == nil || !strings.Contains(err.Error(), "--agentic-cache-warmup-duration") {
		t.Errorf("a cache warmup of 0 s: %v", err)
	}
}
