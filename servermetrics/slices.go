package servermetrics

import (
	"math"
	"sort"
	"time"
)

// Timeslice is one series over one --slice-duration slice, as AIPerf's
// server-metrics export lists them: gauges by their samples inside the
// slice, counters and histograms by what they added between the scrapes at
// the slice's edges. Exactly one of Gauge, Counter and Histogram is set.
type Timeslice struct {
	Start, End time.Time // the slice, clipped to the window Slice was given
	Complete   bool      // a whole slice duration, not cut by the window
	// From and To are the scrapes the increases run between: the first at
	// or after the slice's start (for the window's first slice, the last
	// before the window), and the one opening the next slice (the final
	// scrape, after the settle wait, for the last slice).
	From, To  Edge
	Gauge     *GaugeSlice
	Counter   *CounterSlice
	Histogram *HistogramSlice
}

// Edge bounds when one scrape read a server's values.
type Edge struct{ At, Done time.Time }

// GaugeSlice is a gauge's samples inside one slice.
type GaugeSlice struct{ Avg, Min, Max float64 }

// CounterSlice is what a counter added over one slice.
type CounterSlice struct {
	Total float64
	Rate  float64 // Total per second of the slice (End - Start)
}

// HistogramSlice is what a histogram added over one slice.
type HistogramSlice struct {
	Count, Sum float64
	Avg        float64 // Sum / Count; 0 when Count is 0, as AIPerf's
	// Buckets are the cumulative increases, +Inf last; nil when the server
	// changed its bucket layout inside the slice.
	Buckets []Bucket
	// Estimates holds one estimate per entry of Percentiles from Buckets;
	// nil when there are no buckets or no observations.
	Estimates []float64
}

// Slice cuts every series into the slices of the collector's Config.Slice
// that overlap [from, to] (the profiling phase: first request start to last
// response), the first and last clipped to it. Gauges without a sample in a
// slice leave it out, as AIPerf does. A no-op without slices.
func (r *Result) Slice(from, to time.Time) {
	if r.slice <= 0 || !to.After(from) {
		return
	}
	d := int64(r.slice)
	k0, kN := floorDiv(from.UnixNano(), d), floorDiv(to.UnixNano()-1, d)
	for i := range r.Metrics {
		for j := range r.Metrics[i].Series {
			s := &r.Metrics[i].Series[j]
			if s.raw == nil || len(s.ep.edges) == 0 {
				continue
			}
			s.Timeslices = nil
			for k := k0; k <= kN; k++ {
				start, end := time.Unix(0, max(k*d, from.UnixNano())), time.Unix(0, min((k+1)*d, to.UnixNano()))
				ts := Timeslice{Start: start, End: end, Complete: start.UnixNano() == k*d && end.UnixNano() == (k+1)*d}
				base := s.raw.markAt(k)
				ts.From = s.ep.edgeOf(k)
				if k == k0 { // the first slice runs from the last scrape before the window: none of its requests is missed
					base, ts.From = s.windowStart(from)
				}
				last := k == kN
				if last {
					ts.To = s.ep.lastEdge.span()
				} else {
					ts.To = s.ep.edgeOf(k + 1)
				}
				if !s.raw.cut(&ts, base, k, last) {
					continue
				}
				s.Timeslices = append(s.Timeslices, ts)
			}
			if s.Counter != nil {
				s.Counter.SliceRates = sliceRates(s.Timeslices)
			}
		}
	}
}

// edgeOf is the scrape opening slice k: the first edge at or after it (the
// last scrape when the run ended before it).
func (e *endpoint) edgeOf(k int64) Edge {
	i := sort.Search(len(e.edges), func(i int) bool { return e.edges[i].k >= k })
	if i == len(e.edges) {
		return e.lastEdge.span()
	}
	return e.edges[i].span()
}

// windowStart is where the window's first slice starts: the last edge scrape
// sent at or before from, or the scrape that restarted the window (Rebase)
// when that came later.
func (s *Series) windowStart(from time.Time) (mark, Edge) {
	e := s.ep
	if ws := e.windowStart; !ws.IsZero() && !ws.After(from) {
		if k := e.edgeBefore(from); e.edgeOf(k).At.Before(ws) {
			return s.raw.base, Edge{At: ws, Done: e.windowDone}
		}
	}
	k := e.edgeBefore(from)
	return s.raw.markAt(k), e.edgeOf(k)
}

// edgeBefore is the slice whose edge scrape is the last sent at or before t
// (the baseline's when none is).
func (e *endpoint) edgeBefore(t time.Time) int64 {
	i := sort.Search(len(e.edges), func(i int) bool { return e.edges[i].At.After(t) })
	return e.edges[max(i-1, 0)].k
}

func (e edge) span() Edge { return Edge{At: e.At, Done: e.Done} }

// cut fills ts with the series over slice k, its increases from the running
// values from; false when it has nothing there (a gauge without samples).
func (s *series) cut(ts *Timeslice, from mark, k int64, last bool) bool {
	switch s.typ {
	case TypeCounter:
		to := s.markAt(k + 1)
		if last {
			to = s.running()
		}
		cs := &CounterSlice{Total: to.total - from.total}
		if secs := ts.End.Sub(ts.Start).Seconds(); secs > 0 {
			cs.Rate = cs.Total / secs
		}
		ts.Counter = cs
	case TypeHistogram:
		to := s.markAt(k + 1)
		if last {
			to = s.running()
		}
		h := &HistogramSlice{Count: to.count - from.count, Sum: to.sum - from.sum}
		if h.Count > 0 {
			h.Avg = h.Sum / h.Count
		}
		h.Buckets = bucketIncrease(from.buckets, to.buckets)
		if h.Buckets != nil && h.Count > 0 {
			for _, p := range Percentiles {
				h.Estimates = append(h.Estimates, Quantile(float64(p)/100, h.Buckets))
			}
		}
		ts.Histogram = h
	default:
		lo, hi := ts.Start.UnixNano(), ts.End.UnixNano()
		g := GaugeSlice{Min: math.Inf(1), Max: math.Inf(-1)}
		n := 0
		for i, t := range s.times {
			if t < lo || t > hi || (t == hi && !last) {
				continue
			}
			v := s.samples[i]
			g.Avg += v
			g.Min, g.Max = min(g.Min, v), max(g.Max, v)
			n++
		}
		if n == 0 {
			return false
		}
		g.Avg /= float64(n)
		ts.Gauge = &g
	}
	return true
}

// markAt is the series' running increases at the edge of slice k: zero
// before its first mark (it had added nothing, or did not exist yet), the
// running values after its last.
func (s *series) markAt(k int64) mark {
	i := sort.Search(len(s.marks), func(i int) bool { return s.marks[i].k >= k })
	switch {
	case i < len(s.marks) && s.marks[i].k == k:
		return s.marks[i]
	case i == 0:
		return mark{k: k}
	case i == len(s.marks):
		return s.running()
	}
	return s.marks[i] // a gap cannot happen: every edge marks every series
}

// running is the series' increases so far, as a mark.
func (s *series) running() mark {
	return mark{total: s.total, count: s.count, sum: s.sum, buckets: s.buckets, resets: s.resets}
}

// bucketIncrease is to - from bucket by bucket; nil when the layouts differ
// (the server changed them). An empty from is all zeros.
func bucketIncrease(from, to []Bucket) []Bucket {
	if len(from) == 0 {
		return append([]Bucket(nil), to...)
	}
	if !sameBounds(from, to) {
		return nil
	}
	out := make([]Bucket, len(to))
	for i := range to {
		out[i] = Bucket{Le: to[i].Le, Count: to[i].Count - from[i].Count}
	}
	return out
}

// sliceRates summarises the rates of the complete slices; nil when none is.
func sliceRates(ts []Timeslice) *RateStats {
	var rates []float64
	for _, t := range ts {
		if t.Complete && t.Counter != nil {
			rates = append(rates, t.Counter.Rate)
		}
	}
	if len(rates) == 0 {
		return nil
	}
	st := RateStats{Min: math.Inf(1), Max: math.Inf(-1)}
	for _, r := range rates {
		st.Avg += r
		st.Min, st.Max = min(st.Min, r), max(st.Max, r)
	}
	st.Avg /= float64(len(rates))
	if len(rates) > 1 {
		var ss float64
		for _, r := range rates {
			ss += (r - st.Avg) * (r - st.Avg)
		}
		st.Std = math.Sqrt(ss / float64(len(rates)-1))
	}
	return &st
}
