package testkit

import (
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Each phase is counted and its overlap measured apart from the other's.
func TestPhaseLoadOf(t *testing.T) {
	rec := func(phase record.Phase, start, end int64) *record.Record {
		return &record.Record{Phase: phase, StartNs: start, EndOffset: time.Duration(end - start)}
	}
	w, p := record.PhaseWarmup, record.PhaseProfiling
	recs := []*record.Record{rec(w, 0, 10), rec(w, 5, 15), rec(w, 6, 16), rec(p, 14, 20), rec(p, 20, 30)}
	want := PhaseLoad{Warmup: 3, WarmupInFlight: 3, Profiling: 2, ProfilingInFlight: 1}
	if got := PhaseLoadOf(recs); got != want {
		t.Errorf("%+v, want %+v", got, want)
	}
}
