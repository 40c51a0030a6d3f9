package metrics

import (
	"sort"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// SliceIndex is the time slice (--slice-duration) a request starting at
// startNs (wall-clock ns) falls in. As AIPerf's timeslice processor, slices
// are whole multiples of the slice duration on the wall clock, not counted
// from the run's start: a request starting exactly on a boundary opens the
// next slice, and the run's first and last slices may be shorter than the rest.
func SliceIndex(startNs, sliceNs int64) int64 {
	i := startNs / sliceNs
	if startNs%sliceNs < 0 { // floor, for the (unreal) times before 1970
		i--
	}
	return i
}

// Slices aggregates records per time slice: one Accumulator for each slice
// that has a record, so what it keeps is what one run's Accumulator keeps
// (each record is in one slice), plus one scratch file per slice with
// AggregateOptions.ScratchDir.
type Slices struct {
	sliceNs int64
	opt     AggregateOptions
	acc     map[int64]*Accumulator
	err     error
}

// NewSlices returns an empty Slices of sliceNs nanoseconds; Close releases it.
func NewSlices(sliceNs int64, opt AggregateOptions) *Slices {
	return &Slices{sliceNs: sliceNs, opt: opt, acc: map[int64]*Accumulator{}}
}

// Add counts r in the slice of its request start. Records an Accumulator
// drops (warmup, ended after the duration's grace) are dropped here too.
func (s *Slices) Add(r *record.Record) {
	if !r.Counted() {
		return
	}
	i := SliceIndex(r.StartNs, s.sliceNs)
	a := s.acc[i]
	if a == nil {
		var err error
		if a, err = NewAccumulator(s.opt); err != nil {
			if s.err == nil {
				s.err = err
			}
			return
		}
		s.acc[i] = a
	}
	a.Add(r)
}

// Results are the slices' results in time order. As AIPerf numbers them,
// only slices with a record are there: the i-th result is timeslice i.
func (s *Slices) Results() ([]*Result, error) {
	if s.err != nil {
		return nil, s.err
	}
	keys := make([]int64, 0, len(s.acc))
	for k := range s.acc {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	out := make([]*Result, 0, len(keys))
	for _, k := range keys {
		res, err := s.acc[k].Result()
		if err != nil {
			return nil, err
		}
		res.WasCancelled = s.opt.Cancelled
		out = append(out, res)
	}
	return out, nil
}

// Close releases the slices' scratch files.
func (s *Slices) Close() error {
	var first error
	for k, a := range s.acc {
		if err := a.Close(); err != nil && first == nil {
			first = err
		}
		delete(s.acc, k)
	}
	return first
}
