package main

import (
	"fmt"
	"io"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	prof "github.com/aiperf-exporter/aiperf-exporter/profile"
	"github.com/aiperf-exporter/aiperf-exporter/sweep"
)

// needsAdaptive is AIPerf's reason for refusing tiers without an adaptive search.
const needsAdaptive = "needs an adaptive search: --search-space, or a recipe that expands to one (max-concurrency-under-sla with a --search-style other than grid, or max-goodput-under-slo)"

// multiTierSearch is the multi-tier SLA search of --search-sla-tier (2 to
// 10 tiers, labels unique, as AIPerf's validate_tier_list). As AIPerf's
// planner factory, it runs on an adaptive search (--search-space, or a
// recipe that expands to one) and takes its place: over the search's one
// whole-number dimension and range, with its iteration budget; global are
// the search's SLAs, every tier judged on them too. nil without tiers.
func multiTierSearch(s prof.Settings, search *recipe, global []sweep.SLAFilter) (*sweep.MultiTier, error) {
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
			return nil, bad("duplicate label %s (tiers %d and %d)", clip.Quote(t.Label), j+1, i+1)
		}
		seen[t.Label] = i
		for _, f := range t.SLA {
			if err := checkSLA(f); err != nil {
				return nil, bad("tier %s: %v", t.Label, err)
			}
		}
		tiers = append(tiers, t)
	}
	dims, budget := search.space()
	switch {
	case dims == nil:
		return nil, bad(needsAdaptive)
	case len(dims) != 1:
		return nil, bad("the multi-tier search needs exactly one --search-space dimension, got %d", len(dims))
	case !dims[0].Int:
		return nil, bad("the multi-tier search varies whole numbers only (kind int), got %s real", dims[0].Path)
	case dims[0].Lo < 1:
		return nil, bad("the multi-tier search doubles from lo: lo of %s must be at least 1, got %g", dims[0].Path, dims[0].Lo)
	}
	m := sweep.NewMultiTier(dims[0], budget, tiers, global)
	m.Replaces = search.planner()
	return m, nil
}

// planner names an adaptive search's planner.
func (r *recipe) planner() string {
	if r.adaptive != nil {
		return r.adaptive.Planner
	}
	return r.search.Style()
}

// warnReplaced says, as AIPerf's planner factory, that the tiers' search
// runs in place of a planner other than smooth_isotonic (whose bracket
// and bisection it shares).
func warnReplaced(plan *sweep.Plan, stderr io.Writer) {
	if m := plan.MultiTier; m != nil && m.Replaces != "smooth_isotonic" {
		fmt.Fprintf(stderr, "warning: the %s search is not used with --search-sla-tier: the multi-tier search brackets and bisects on its own\n", m.Replaces)
	}
}

// space is the search space of an adaptive search and its iteration
// budget; nil for a grid or scenario sweep (or none).
func (r *recipe) space() ([]sweep.Dim, int) {
	switch {
	case r == nil:
		return nil, 0
	case r.adaptive != nil:
		return r.adaptive.Bayes.Dims, r.adaptive.Bayes.MaxIterations
	case r.search != nil:
		lo, hi, budget := r.search.Range()
		return []sweep.Dim{{Path: "phases.profiling.concurrency", Param: concParam, Lo: float64(lo), Hi: float64(hi), Int: true}}, budget
	}
	return nil, 0
}
