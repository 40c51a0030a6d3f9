package testkit

import (
	"slices"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// MostInFlight is the most of recs that ran at the same time, each from its
// start to its end; one ending at the instant another starts does not overlap it.
func MostInFlight(recs []*record.Record) int {
	var starts, ends []int64
	for _, r := range recs {
		starts = append(starts, r.StartNs)
		ends = append(ends, r.StartNs+int64(r.EndOffset))
	}
	slices.Sort(starts)
	slices.Sort(ends)
	most, ended := 0, 0
	for i, s := range starts {
		for ended < len(ends) && ends[ended] <= s {
			ended++
		}
		most = max(most, i+1-ended)
	}
	return most
}

// ByPhase splits recs into warmup and profiling records, in their order.
func ByPhase(recs []*record.Record) (warmup, profiling []*record.Record) {
	for _, r := range recs {
		if r.Phase == record.PhaseWarmup {
			warmup = append(warmup, r)
		} else {
			profiling = append(profiling, r)
		}
	}
	return warmup, profiling
}
