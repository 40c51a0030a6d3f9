package sweep

// Monotonic is AIPerf's monotonic SLA search (max-concurrency-under-sla
// --search-style monotonic): assuming that more concurrency only makes the
// SLAs harder to meet, it doubles the concurrency from Lo until a value
// breaks them (capped at Hi), then bisects between the highest value that
// met them and the lowest that broke them. A value's verdict holds once
// Stability probes agree on it; until then it is probed again.
type Monotonic struct {
	Lo, Hi    int
	MaxProbes int     // AIPerf's max_iterations: 20
	Stability int     // probes that must agree on a value: 2
	Precision float64 // stop when the bracket is narrower than this share of its top: 0.05

	// FeasibleMax is the highest value found to meet the SLAs, InfeasibleMin
	// the lowest found to break them; 0 while none is.
	FeasibleMax, InfeasibleMin int
	// Reason is why the search stopped, in AIPerf's words; "" while it goes on.
	Reason string

	passes, fails map[int]int
	bisecting     bool
	next, probes  int
}

// NewMonotonic is a search over [lo, hi] with AIPerf's defaults.
func NewMonotonic(lo, hi int) *Monotonic {
	return &Monotonic{Lo: lo, Hi: hi, MaxProbes: 20, Stability: 2, Precision: 0.05, next: lo,
		passes: map[int]int{}, fails: map[int]int{}}
}

// Next is the value to probe next; false once the search has stopped.
func (m *Monotonic) Next() (int, bool) {
	if m.Reason == "" && m.probes >= m.MaxProbes {
		m.Reason = "max_iterations"
	}
	return m.next, m.Reason == ""
}

// Tell takes the outcome of probing v (the value Next gave) and plans the
// next probe; the SLAs' margins play no part in a monotonic search.
func (m *Monotonic) Tell(v int, met bool, _ []float64) {
	m.probes++
	if met {
		m.passes[v]++
	} else {
		m.fails[v]++
	}
	switch {
	case m.passes[v] >= m.Stability:
		m.settle(v, true)
	case m.fails[v] >= m.Stability:
		m.settle(v, false)
	default:
		m.next = v // no verdict yet: probe it again
	}
}

// Outcome is the bracket found and why the search stopped.
func (m *Monotonic) Outcome() (feasibleMax, infeasibleMin int, reason string) {
	return m.FeasibleMax, m.InfeasibleMin, m.Reason
}

// Style names the search in its summary.
func (m *Monotonic) Style() string { return "monotonic" }

func (m *Monotonic) Range() (lo, hi, maxProbes int) { return m.Lo, m.Hi, m.MaxProbes }

// settle records v's verdict and picks the next value.
func (m *Monotonic) settle(v int, met bool) {
	if met && v > m.FeasibleMax && (m.InfeasibleMin == 0 || v < m.InfeasibleMin) {
		m.FeasibleMax = v
	}
	if !met && v > m.FeasibleMax && (m.InfeasibleMin == 0 || v < m.InfeasibleMin) {
		m.InfeasibleMin = v
	}
	if !m.bisecting {
		switch {
		case !met && m.FeasibleMax == 0:
			m.Reason = "monotonic_no_pass_in_range"
			return
		case !met:
			m.bisecting = true
		case v >= m.Hi:
			m.FeasibleMax, m.Reason = m.Hi, "monotonic_no_failure_in_range"
			return
		default:
			m.next = min(2*v, m.Hi)
			return
		}
	}
	m.bisect()
}

// bisect probes the middle of the bracket, rounded down, or stops once the
// bracket is one apart or narrower than Precision of its top.
func (m *Monotonic) bisect() {
	gap := m.InfeasibleMin - m.FeasibleMax
	if gap <= 1 || float64(gap)/float64(max(m.InfeasibleMin, 1)) < m.Precision {
		m.Reason = "monotonic_precision_reached"
		return
	}
	m.next = m.FeasibleMax + gap/2
}
