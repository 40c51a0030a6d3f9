package testkit

import "github.com/aiperf-exporter/aiperf-exporter/record"

// PhaseLoad is what a run's records show of each phase's load: how many
// requests it sent and the most it had in flight at once.
type PhaseLoad struct {
	Warmup, WarmupInFlight       int
	Profiling, ProfilingInFlight int
}

// PhaseLoadOf reads the load of each phase from recs, so a test of the
// warmup's own settings compares one value with what it asked for.
func PhaseLoadOf(recs []*record.Record) PhaseLoad {
	warmup, profiling := ByPhase(recs)
	return PhaseLoad{
		Warmup: len(warmup), WarmupInFlight: MostInFlight(warmup),
		Profiling: len(profiling), ProfilingInFlight: MostInFlight(profiling),
	}
}
