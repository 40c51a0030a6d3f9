package collector

import (
	"math"

	dto "github.com/prometheus/client_model/go"
)

// posInf is the upper bound of an explicit +Inf bucket. Like the classic bounds,
// the zero buckets and the label pairs, it is shared by every written metric and
// never changed.
var posInf = math.Inf(+1)

// zeroCount is the count of every shared zero bucket.
var zeroCount uint64

// histSlab holds a written histogram and its scalars in one allocation.
type histSlab struct {
	h                dto.Histogram
	count, zeroCount uint64
	sum, zeroThresh  float64
	schema           int32
}

// bucketSlot is a classic bucket with its cumulative count.
type bucketSlot struct {
	b   dto.Bucket
	cum uint64
}

// spanSlot is a native bucket span with its offset and length.
type spanSlot struct {
	s      dto.BucketSpan
	offset int32
	length uint32
}

// Write implements prometheus.Metric: the same dto.Metric client_golang's
// histogram writes, in about ten allocations whatever the number of buckets.
// Bounds, labels, exemplars, the created timestamp and the empty buckets below
// the first observation are shared, not copied: they never change once written.
func (h *hist) Write(out *dto.Metric) error {
	h.mu.Lock()
	defer h.mu.Unlock()

	slab := &histSlab{count: h.count, sum: h.sum, zeroCount: h.native.zeroCount,
		zeroThresh: h.native.zeroThreshold, schema: h.native.schema}
	his := &slab.h
	his.SampleCount, his.SampleSum, his.CreatedTimestamp = &slab.count, &slab.sum, h.created
	out.Histogram, out.Label = his, h.labels

	n := len(h.cfg.bounds)
	inf := h.exemplars[n]
	nb := n
	if inf != nil {
		nb++ // an exemplar on +Inf needs the +Inf bucket written out
	}
	// Cumulative counts only grow, so the empty buckets without exemplar are a
	// prefix; those are the shared zero buckets, the rest get a slot each.
	empty := 0
	for empty < n && h.classic[empty] == 0 && h.exemplars[empty] == nil {
		empty++
	}
	slots := make([]bucketSlot, nb-empty)
	his.Bucket = make([]*dto.Bucket, nb)
	for i := range empty {
		his.Bucket[i] = &h.cfg.zeroBuckets[i]
	}
	var cum uint64
	for i := empty; i < n; i++ {
		cum += h.classic[i]
		s := &slots[i-empty]
		s.cum = cum
		s.b.CumulativeCount, s.b.UpperBound, s.b.Exemplar = &s.cum, &h.cfg.bounds[i], h.exemplars[i]
		his.Bucket[i] = &s.b
	}
	if inf != nil {
		s := &slots[n-empty]
		s.cum = h.count
		s.b.CumulativeCount, s.b.UpperBound, s.b.Exemplar = &s.cum, &posInf, inf
		his.Bucket[n] = &s.b
	}

	his.ZeroThreshold, his.Schema, his.ZeroCount = &slab.zeroThresh, &slab.schema, &slab.zeroCount
	his.NegativeSpan, his.NegativeDelta = writeSpans(h.native.neg)
	his.PositiveSpan, his.PositiveDelta = writeSpans(h.native.pos)
	if slab.zeroThresh == 0 && slab.zeroCount == 0 && len(his.PositiveSpan) == 0 && len(his.NegativeSpan) == 0 {
		// A no-op span, so a scraper still sees a native histogram.
		his.PositiveSpan = []*dto.BucketSpan{{Offset: new(int32), Length: new(uint32)}}
	}
	if len(h.nativeEx.ex) > 0 {
		his.Exemplars = append([]*dto.Exemplar(nil), h.nativeEx.ex...)
	}
	return nil
}

// writeSpans encodes populated buckets as spans and deltas, as client_golang
// does: a gap of one or two empty buckets is written as empty buckets, a
// larger one starts a new span.
func writeSpans(s sparseBuckets) ([]*dto.BucketSpan, []int64) {
	if len(s) == 0 {
		return nil, nil
	}
	ns, nd := s.spanCount()
	slots := make([]spanSlot, ns)
	spans := make([]*dto.BucketSpan, ns)
	deltas := make([]int64, 0, nd)
	var prev int64
	next, si := 0, -1
	for i, b := range s {
		gap := b.key - next
		if i == 0 || gap > 2 {
			si++
			sp := &slots[si]
			sp.offset = int32(gap)
			sp.s.Offset, sp.s.Length = &sp.offset, &sp.length
			spans[si] = &sp.s
		} else {
			for range gap {
				deltas = append(deltas, -prev)
				prev = 0
				slots[si].length++
			}
		}
		deltas = append(deltas, b.count-prev)
		prev = b.count
		slots[si].length++
		next = b.key + 1
	}
	return spans, deltas
}
