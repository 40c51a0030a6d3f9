package main

import (
	"os"
	"strings"
	"testing"
)

// --search-sla-tier over max-concurrency-under-sla: the mock meets the
// loose tier at every load and breaks the impossible one at the least,
// so the search settles both and names each boundary.
func TestProfileMultiTierSearch(t *testing.T) {
	stdout, base := profileOK(t, append(quickMock, "--search-recipe", "max-concurrency-under-sla",
		"--concurrency-max", "4", "--search-sla-tier", "loose:time_to_first_token:p95:lt:60000",
		"--search-sla-tier", "request_latency:p99:lt:0.000001")...)
	h := history(t, base)
	if len(h.TierResults) != 2 || h.BoundarySummary == nil {
		t.Fatalf("history without two tier results and a boundary summary: %+v", h)
	}
	loose, strict := h.TierResults[0], h.TierResults[1]
	if loose.Label != "loose" || loose.BoundaryConcurrency == nil || *loose.BoundaryConcurrency != 4 || loose.ConvergenceReason != "no_failure_in_range" {
		t.Errorf("loose tier %+v", loose)
	}
	if strict.Label != "tier_2" || strict.BoundaryConcurrency != nil || strict.ConvergenceReason != "no_pass_in_range" {
		t.Errorf("strict tier %+v", strict)
	}
	if h.ConvergenceReason != "multi_tier_all_converged" || len(h.Iterations) != 3 { // 1, 2, 4
		t.Errorf("history %+v", h)
	}
	// AIPerf's fields: each tier's confidence_interval (null: no replicate
	// phase), the summary's warning and reason.
	if ci := string(loose.ConfidenceInterval); ci != "null" {
		t.Errorf("tier result without confidence_interval null: %q", ci)
	}
	b := h.BoundarySummary
	if b.NonMonotonic == nil || *b.NonMonotonic || b.ConvergenceReason != "multi_tier_all_converged" || b.FeasibleMax == nil || b.FeasibleMax.Value != 4 {
		t.Errorf("boundary_summary %+v", b)
	}
	if !strings.Contains(stdout, "loose: highest concurrency meeting its SLAs 4") || !strings.Contains(stdout, "tier_2: no concurrency met its SLAs") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

// tierFlags are two tiers labelled as AIPerf's tests label them, loose
// enough for the mock to meet.
var tierFlags = []string{"--search-sla-tier", "gold:time_to_first_token:p99:lt:200000", "--search-sla-tier", "silver:time_to_first_token:p99:lt:500000"}

// searchSpaceFlags are an adaptive search over dim, as AIPerf's tests give it.
func searchSpaceFlags(dim string) []string {
	return []string{"--search-space", dim, "--search-metric", "output_token_throughput", "--search-direction", "maximize", "--search-max-iterations", "10"}
}

// --search-sla-tier applies to any adaptive search, as AIPerf's
// test_search_sla_tiers_apply_to_an_adaptive_search: the tiers' search
// takes the place of its planner, over its one whole-number dimension
// (whichever setting), with its budget, judging every tier on its SLAs too.
func TestProfileMultiTierOnAdaptiveSearch(t *testing.T) {
	for _, c := range []struct {
		name    string
		args    []string
		path    string
		probes  []float64
		reason  string
		filters int    // per tier: its own and the search's
		runs    int    // per probe
		warns   string // the planner the console says goes unused; "" for none
	}{
		{"search-space over requests", searchSpaceFlags("requests:2,8:int"), "phases.profiling.requests", []float64{2, 4, 8}, "multi_tier_all_converged", 1, 1, "bayesian"},
		{"search-space budget", append(searchSpaceFlags("concurrency:1,64:int"), "--search-max-iterations", "3", "--search-initial-points", "1"), "phases.profiling.concurrency", []float64{1, 2, 4}, "max_iterations", 1, 1, "bayesian"},
		{"adaptive recipe", []string{"--search-recipe", "max-goodput-under-slo", "--ttft-sla-ms", "60000", "--tpot-sla-ms", "60000", "--e2e-sla-ms", "60000", "--concurrency-max", "2"},
			"phases.profiling.concurrency", []float64{1, 2}, "multi_tier_all_converged", 2, 1, "bayesian"},
		// every probe judged on the mean of its runs, as AIPerf's planner on its trials
		{"repeated runs", []string{"--search-recipe", "max-concurrency-under-sla", "--concurrency-max", "2", "--num-profile-runs", "2"},
			"phases.profiling.concurrency", []float64{1, 2}, "multi_tier_all_converged", 1, 2, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr, base := profileInDir(t, append(append(quickMock, c.args...), tierFlags...)...)
			if code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
			}
			if warned := strings.Contains(stderr, "search is not used with --search-sla-tier"); warned != (c.warns != "") || !strings.Contains(stderr, c.warns) {
				t.Errorf("stderr %q, want a warning about %q", stderr, c.warns)
			}
			h := history(t, base)
			var labels []string
			for _, tier := range h.Config.SLATiers {
				labels = append(labels, tier.Label)
			}
			if strings.Join(labels, ",") != "gold,silver" {
				t.Errorf("sla_tiers %v, want gold, silver", labels)
			}
			its := h.Iterations
			if len(its) != len(c.probes) {
				t.Fatalf("%d iterations, want %v: %+v", len(its), c.probes, its)
			}
			for i, want := range c.probes {
				if runs := its[i].Runs; len(runs) != c.runs {
					t.Errorf("iteration %d made %d runs, want %d", i, len(runs), c.runs)
				}
				if got := iterationValue(t, h, i, c.path); got != want {
					t.Errorf("iteration %d probed %s %g, want %g", i, c.path, got, want)
				}
			}
			if h.ConvergenceReason != c.reason {
				t.Errorf("convergence_reason %v, want %s", h.ConvergenceReason, c.reason)
			}
			for _, r := range h.TierResults {
				if n := len(r.Filters); n != c.filters {
					t.Errorf("tier %v judged on %d filters, want %d", r.Label, n, c.filters)
				}
			}
		})
	}
}

func TestProfileMultiTierBadSettings(t *testing.T) {
	tier := []string{"--search-sla-tier", "a:time_to_first_token:p95:lt:100"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{append([]string{"--search-recipe", "max-concurrency-under-sla"}, tier...), `--search-sla-tier (AIPERF_SEARCH_SLA_TIER): expected between 2 and 10 tiers, got 1`},
		{append(append([]string{"--search-recipe", "max-concurrency-under-sla"}, tier...), tier...), `duplicate label "a" (tiers 1 and 2)`},
		{append(append([]string{"--search-recipe", "max-concurrency-under-sla"}, tier...), "--search-sla-tier", "b:ttft:p95:lt:5"), `tier b: "ttft" is not a metric tag`},
		{append(append([]string{"--search-recipe", "max-concurrency-under-sla"}, tier...), "--search-sla-tier", "b:"), `has no filter`},
		// AIPerf's test_search_sla_flag_without_a_search_to_filter_is_rejected
		{tierFlags, `--search-sla-tier (AIPERF_SEARCH_SLA_TIER): needs an adaptive search`},
		{append([]string{"--search-recipe", "concurrency-ramp"}, tierFlags...), `needs an adaptive search`},
		{append([]string{"--search-recipe", "pareto-sweep", "--isl-osl-pairs", "128/128,256/256", "--concurrency", "1,4"}, tierFlags...), `needs an adaptive search`},
		{append([]string{"--search-recipe", "max-concurrency-under-sla", "--search-style", "grid"}, tierFlags...), `needs an adaptive search`},
		{append([]string{"--concurrency", "1,2"}, tierFlags...), `needs an adaptive search`},
		{append([]string{"--variant", "a: concurrency=1", "--variant", "b: concurrency=2"}, tierFlags...), `needs an adaptive search`},
		{[]string{"--search-recipe", "pareto-sweep", "--isl-osl-pairs", "128/128", "--search-sla", "time_to_first_token:p99:lt:500"}, `--search-sla (AIPERF_SEARCH_SLA): is not applied to a scenario recipe`},
		// what AIPerf's multi-tier planner refuses
		{append(searchSpaceFlags("concurrency:1,4:int"), append([]string{"--search-space", "isl:8,16:int"}, tierFlags...)...), `exactly one --search-space dimension, got 2`},
		{append(searchSpaceFlags("rate:1,4:real"), tierFlags...), `whole numbers only (kind int)`},
	} {
		code, _, stderr, base := profileInDir(t, append(quickMock, c.args...)...)
		if code == 0 {
			t.Fatalf("%q: ran", c.args) // a search here would take long: stop
		}
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q, want 2 and %q", c.args, code, stderr, c.want)
		}
		if entries, _ := os.ReadDir(base); len(entries) > 0 {
			t.Errorf("%q: wrote %d entries before failing", c.args, len(entries))
		}
	}
}
