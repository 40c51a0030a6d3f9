package main

import (
	"fmt"

	"github.com/aiperf-exporter/aiperf-exporter/options"
	prof "github.com/aiperf-exporter/aiperf-exporter/profile"
	"github.com/aiperf-exporter/aiperf-exporter/sweep"
)

// multiTierSearch is the multi-tier SLA search of --search-sla-tier (2 to
// 10 tiers, labels unique, as AIPerf's validate_tier_list) over the one
// concurrency dimension of --search-space or of max-concurrency-under-sla,
// whose own search it replaces (AIPerf's planner factory does the same);
// global are the SLAs every tier is also judged on. nil without tiers.
func multiTierSearch(s prof.Settings, global []sweep.SLAFilter) (*sweep.MultiTier, error) {
	p := s.Profile
	if len(p.SearchSLATier) == 0 {
		return nil, nil
	}
	bad := func(msg string, args ...any) error {
		return &options.Error{Flag: "search-sla-tier", Msg: fmt.Sprintf(msg, args...)}
	}
	if n := len(p.SearchSLATier); n < 2 || n > 10 {
		return nil, bad("expected between 2 and 10 tiers, got %d", n)
	}
	var tiers []sweep.Tier
	seen := map[string]int{}
	for i, raw := range p.SearchSLATier {
		t, err := sweep.ParseTier(raw, i)
		if err != nil {
			return nil, bad("%v", err)
		}
		if j, dup := seen[t.Label]; dup {
			return nil, bad("duplicate label %q (tiers %d and %d)", t.Label, j+1, i+1)
		}
		seen[t.Label] = i
		for _, f := range t.SLA {
			if err := checkSLA(f); err != nil {
				return nil, bad("tier %s: %v", t.Label, err)
			}
		}
		tiers = append(tiers, t)
	}
	lo, hi, probes := 0, 0, 20 // the monotonic search's budget
	switch {
	case len(p.SearchSpace) == 1:
		d, err := parseDim(p.SearchSpace[0])
		if err != nil {
			return nil, err
		}
		if d.Param.Name != "concurrency" {
			return nil, bad("searches one concurrency dimension: --search-space concurrency:LO,HI:int")
		}
		lo, hi = int(d.Lo), int(d.Hi)
		if s.Set["search-max-iterations"] {
			if probes, err = whole("search-max-iterations", p.SearchMaxIterations, 2, 200); err != nil {
				return nil, err
			}
		}
	case p.SearchRecipe == "max-concurrency-under-sla" && len(p.SearchSpace) == 0:
		n := numbers{set: s.Set}
		l, h := n.int("concurrency-min", p, 1), n.int("concurrency-max", p, 1000)
		if n.err != nil {
			return nil, n.err
		}
		lo, hi = int(l), int(h)
	default:
		return nil, bad("needs one concurrency dimension to search: --search-space concurrency:LO,HI:int, or --search-recipe max-concurrency-under-sla")
	}
	return sweep.NewMultiTier(lo, hi, probes, tiers, global), nil
}
