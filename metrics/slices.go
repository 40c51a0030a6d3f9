package metrics

import (
	"math"
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
// that has a record, so what it keeps is about what one run's Accumulator
// keeps (each record is in one slice; a slice's lists start small). The
// slices' inter-chunk latencies share one store: a single scratch file with
// AggregateOptions.ScratchDir, however many slices there are.
type Slices struct {
	sliceNs int64
	opt     AggregateOptions
	acc     map[int64]*Accumulator
	icl     values // every slice's inter-chunk latencies
	err     error
}

// NewSlices returns an empty Slices of sliceNs nanoseconds; Close releases it.
// A nil *Slices is "no slices": Add and Close do nothing.
func NewSlices(sliceNs int64, opt AggregateOptions) *Slices {
	return &Slices{sliceNs: sliceNs, opt: opt, acc: map[int64]*Accumulator{}}
}

// SliceNs is a --slice-duration in nanoseconds, at least 1.
func SliceNs(seconds float64) int64 {
	return max(int64(math.Round(seconds*1e9)), 1)
}

// Seconds is the slice duration.
func (s *Slices) Seconds() float64 { return float64(s.sliceNs) / 1e9 }

// Add counts r in the slice of its request start. Records an Accumulator
// drops (warmup, ended after the duration's grace) are dropped here too.
func (s *Slices) Add(r *record.Record) { s.AddMetrics(r, ForRecord(r)) }

// AddMetrics is Add with r's metrics already derived (ForRecord).
func (s *Slices) AddMetrics(r *record.Record, m Request) {
	if s == nil || !r.Counted() {
		return
	}
	i := SliceIndex(r.StartNs, s.sliceNs)
	a := s.acc[i]
	if a == nil {
		if s.icl == nil {
			s.icl = &memValues{}
			if s.opt.ScratchDir != "" {
				f, err := newFileValues(s.opt.ScratchDir)
				if err != nil {
					s.err = err
					return
				}
				s.icl = f
			}
		}
		a = &Accumulator{opt: s.opt, errs: map[record.Error]*errorSeen{}, sources: map[string]bool{}, icl: &sliceValues{shared: s.icl}}
		s.acc[i] = a
	}
	a.AddMetrics(r, m)
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

// Close releases the slices' scratch file.
func (s *Slices) Close() error {
	if s == nil {
		return nil
	}
	clear(s.acc)
	if s.icl == nil {
		return nil
	}
	err := s.icl.close()
	s.icl = nil
	return err
}

// sliceValues are one slice's values inside the store every slice shares:
// runs of consecutive values (a slice's records mostly finish one after
// another, so there are few) mapped back to the slice's own offsets.
type sliceValues struct {
	shared values
	runs   Chunks[valueRun]
	n      int
}

// valueRun is n values of a slice, from its own offset own on, at offset at
// of the shared store.
type valueRun struct{ own, at, n int }

func (v *sliceValues) add(x float64) {
	at := v.shared.len()
	v.shared.add(x)
	v.n++
	if k := v.runs.Len(); k > 0 {
		last := &v.runs.blocks[len(v.runs.blocks)-1][(k-1)%chunkLen]
		if last.at+last.n == at { // the slice's previous value is the store's last
			last.n++
			return
		}
	}
	v.runs.Add(valueRun{own: v.n - 1, at: at, n: 1})
}

func (v *sliceValues) len() int     { return v.n }
func (v *sliceValues) close() error { return nil } // Slices closes the shared store

func (v *sliceValues) read(buf []float64, off int) error {
	i := sort.Search(v.runs.Len(), func(i int) bool { r := v.runs.At(i); return r.own+r.n > off })
	for len(buf) > 0 {
		r := v.runs.At(i)
		skip := off - r.own
		k := min(len(buf), r.n-skip)
		if err := v.shared.read(buf[:k], r.at+skip); err != nil {
			return err
		}
		buf, off, i = buf[k:], off+k, i+1
	}
	return nil
}
