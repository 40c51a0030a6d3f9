package sweep

import (
	"fmt"
	"strings"
)

// Tier is one --search-sla-tier: a label and the SLAs a load must meet to
// serve it.
type Tier struct {
	Label string
	SLA   []SLAFilter
}

// ParseTier reads one --search-sla-tier value, "LABEL:FILTER[,FILTER...]"
// or "FILTER[,FILTER...]" (then labelled tier_<i+1>), each FILTER in
// --search-sla's grammar, as AIPerf's parse_sla_tier: a label is there when
// the text before the first comma has other than 3 colons.
func ParseTier(v string, i int) (Tier, error) {
	if strings.TrimSpace(v) == "" {
		return Tier{}, fmt.Errorf("the value must not be empty")
	}
	t := Tier{Label: fmt.Sprintf("tier_%d", i+1)}
	rest := v
	if first, _, _ := strings.Cut(v, ","); strings.Count(first, ":") != 3 {
		t.Label, rest, _ = strings.Cut(v, ":")
		if t.Label == "" {
			return Tier{}, fmt.Errorf("%q: the label before ':' must not be empty", v)
		}
	}
	for _, f := range strings.Split(rest, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		sla, err := ParseSLA(f)
		if err != nil {
			return Tier{}, fmt.Errorf("%q: tier %s: %v", v, t.Label, err)
		}
		t.SLA = append(t.SLA, sla)
	}
	if len(t.SLA) == 0 {
		return Tier{}, fmt.Errorf("%q: tier %s has no filter (metric_tag:stat:op:threshold)", v, t.Label)
	}
	return t, nil
}

// bracket is one tier's state in a multi-tier search: the highest load
// found to meet its SLAs and the lowest found to break them (0: none yet).
type bracket struct {
	Tier
	FeasibleMax, InfeasibleMin int
	Breach                     *slaJSON // the SLA InfeasibleMin broke first
	Probes                     int      // the probes that judged it before it settled
	Reason                     string   // why it settled; "" while it has not
	NonMonotonic               bool     // a verdict contradicted an earlier one
}

// MultiTier is AIPerf's multi-tier SLO boundary search (--search-sla-tier,
// two tiers or more) over one whole-number dimension Dim of [Lo, Hi]: doubling from Lo
// until a tier breaks its SLAs, then bisecting the widest bracket of the
// tiers still open. Every probe judges every tier, so one run narrows
// several brackets. A tier settles when its bracket is one apart or under
// Precision of its top, or when its SLAs hold up to Hi or break at Lo.
type MultiTier struct {
	Dim       Dim    // the adaptive search's one dimension, whose place it takes
	Replaces  string // that search's planner: bayesian, optuna, monotonic, smooth_isotonic
	Lo, Hi    int
	MaxProbes int
	Precision float64 // 0.05, as the monotonic search's
	Global    []SLAFilter
	Tiers     []*bracket
	Reason    string

	bracketing bool
	next       int
	probes     int
}

// NewMultiTier is a search over the whole numbers of dim for tiers, each
// also judged on the global SLAs (the search's own and --search-sla).
func NewMultiTier(dim Dim, maxProbes int, tiers []Tier, global []SLAFilter) *MultiTier {
	lo, hi := int(dim.Lo), int(dim.Hi)
	m := &MultiTier{Dim: dim, Lo: lo, Hi: hi, MaxProbes: maxProbes, Precision: 0.05, Global: global, bracketing: true, next: lo}
	for _, t := range tiers {
		m.Tiers = append(m.Tiers, &bracket{Tier: t})
	}
	return m
}

// Next is the load to probe next; false once the search has stopped.
func (m *MultiTier) Next() (int, bool) {
	if m.Reason == "" && m.probes >= m.MaxProbes {
		m.Reason = "max_iterations"
	}
	return m.next, m.Reason == ""
}

// verdict judges a tier on a probe's figures (nil: no run reported, which
// breaks every SLA); the first SLA broken, nil when all hold.
func (m *MultiTier) verdict(t *bracket, st map[string]Stat) *slaJSON {
	for _, f := range append(append([]SLAFilter(nil), t.SLA...), m.Global...) {
		if st == nil || !f.met(st) {
			b := &slaJSON{Metric: f.Metric, Stat: f.Stat, Op: f.op(), Threshold: f.Threshold}
			if s, ok := st[f.key()]; ok {
				b.Observed = &s.Mean
			}
			return b
		}
	}
	return nil
}

// Tell takes the figures of probing v (nil when no run reported), updates
// every open tier and plans the next probe. It returns each tier's verdict.
func (m *MultiTier) Tell(v int, st map[string]Stat) []bool {
	m.probes++
	var met []bool
	anyBroke := false
	for _, t := range m.Tiers {
		breach := m.verdict(t, st)
		met = append(met, breach == nil)
		anyBroke = anyBroke || breach != nil
		if t.Reason != "" {
			continue
		}
		t.Probes++
		if breach == nil {
			if t.InfeasibleMin != 0 && v >= t.InfeasibleMin { // the newer verdict wins
				t.InfeasibleMin, t.Breach, t.NonMonotonic = 0, nil, true
			}
			t.FeasibleMax = max(t.FeasibleMax, v)
		} else {
			if t.FeasibleMax != 0 && v <= t.FeasibleMax {
				t.FeasibleMax, t.NonMonotonic = 0, true
			}
			if t.InfeasibleMin == 0 || v < t.InfeasibleMin {
				t.InfeasibleMin, t.Breach = v, breach
			}
		}
		m.settle(t)
	}
	if m.bracketing && (anyBroke || v >= m.Hi) {
		m.bracketing = false
	}
	if m.bracketing {
		m.next = min(2*v, m.Hi)
		return met
	}
	m.plan()
	return met
}

// settle marks a tier whose boundary is found.
func (m *MultiTier) settle(t *bracket) {
	switch {
	case t.FeasibleMax >= m.Hi:
		t.Reason = "no_failure_in_range"
	case t.InfeasibleMin == m.Lo:
		t.Reason = "no_pass_in_range"
	case t.FeasibleMax > 0 && t.InfeasibleMin > 0:
		gap := t.InfeasibleMin - t.FeasibleMax
		if gap <= 1 || float64(gap)/float64(t.InfeasibleMin) < m.Precision {
			t.Reason = "precision_reached"
		}
	}
}

// plan picks the middle of the widest open bracket (a missing bound counts
// as just outside the range), or stops when every tier has settled.
func (m *MultiTier) plan() {
	widest, next := 0, 0
	for _, t := range m.Tiers {
		if t.Reason != "" {
			continue
		}
		lo, hi := t.FeasibleMax, t.InfeasibleMin
		if lo == 0 {
			lo = m.Lo - 1
		}
		if hi == 0 {
			hi = m.Hi + 1
		}
		if gap := hi - lo; gap > widest && gap >= 2 {
			widest, next = gap, lo+gap/2
		}
	}
	if widest == 0 {
		m.Reason = "multi_tier_all_converged"
		return
	}
	m.next = next
}
