package collector

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// Native histogram buckets as client_golang v1.25 keeps them (prometheus/histogram.go):
// exponential buckets of schema s, bucket key k covering (2^((k-1)/2^s), 2^(k/2^s)],
// a zero bucket for |v| <= the zero threshold, and ±Inf in the bucket after the one
// holding ±MaxFloat64.

// Schema limits of the native histogram format.
const (
	nativeSchemaMin = -4
	nativeSchemaMax = 3 // the finest this package has bound tables for; client_golang goes to 8
)

// nativeZeroThreshold is client_golang's DefNativeHistogramZeroThreshold, 2^-128: the
// zero threshold of a histogram whose options leave it at zero.
const nativeZeroThreshold = 2.938735877055719e-39

// schema3Bounds are the fractions (in [0.5, 1)) at which the buckets of schema 3 end
// within one power of two, exactly as the native histogram format tabulates them
// (Prometheus model/histogram, TestNativeBoundsMatchPrometheus). They are not the
// correctly rounded values of 2^(i/8)/2, so they are not computed. Schemas 1 and 2
// use every 4th and every 2nd of them.
var schema3Bounds = []float64{
	0.5, 0.5452538663326288, 0.5946035575013605, 0.6484197773255048,
	0.7071067811865475, 0.7711054127039704, 0.8408964152537144, 0.9170040432046711,
}

// nativeBounds[s] are the bounds of schema s, for s in 1..nativeSchemaMax.
var nativeBounds = func() [nativeSchemaMax + 1][]float64 {
	var out [nativeSchemaMax + 1][]float64
	for s := 1; s <= nativeSchemaMax; s++ {
		stride := 1 << (nativeSchemaMax - s)
		for i := 0; i < len(schema3Bounds); i += stride {
			out[s] = append(out[s], schema3Bounds[i])
		}
	}
	return out
}()

// pickNativeSchema returns the largest schema n such that 2^(2^-n) <= factor, as
// client_golang's pickSchema does, or an error for a factor this package has no
// bounds for.
func pickNativeSchema(factor float64) (int32, error) {
	if factor <= 1 {
		return 0, fmt.Errorf("native histogram bucket factor %g: must be above 1", factor)
	}
	floor := math.Floor(math.Log2(math.Log2(factor)))
	switch {
	case floor >= -nativeSchemaMin:
		return nativeSchemaMin, nil
	case -floor > nativeSchemaMax:
		return 0, fmt.Errorf("native histogram bucket factor %g: finer than schema %d (factor %.4f) is not supported",
			factor, nativeSchemaMax, math.Exp2(math.Exp2(-nativeSchemaMax)))
	default:
		return -int32(floor), nil
	}
}

// nativeKey returns the bucket key of v (not NaN) at schema.
func nativeKey(v float64, schema int32) int {
	inf := math.IsInf(v, 0)
	if inf {
		// Counted in the bucket after the one of ±MaxFloat64.
		v = math.MaxFloat64
	}
	frac, exp := math.Frexp(math.Abs(v))
	var key int
	if schema > 0 {
		bounds := nativeBounds[schema]
		key = sort.SearchFloat64s(bounds, frac) + (exp-1)*len(bounds)
	} else {
		key = exp
		if frac == 0.5 {
			key--
		}
		key = (key + (1 << -schema) - 1) >> -schema
	}
	if inf {
		key++
	}
	return key
}

// sparseBucket is one populated native bucket.
type sparseBucket struct {
	key   int
	count int64
}

// sparseBuckets are the populated buckets of one sign, sorted by key. There are at
// most a few more than the bucket limit, so a sorted slice beats a map.
type sparseBuckets []sparseBucket

// add adds n to the bucket at key and reports whether the bucket is new.
func (s *sparseBuckets) add(key int, n int64) bool {
	i, found := slices.BinarySearchFunc(*s, key, func(b sparseBucket, k int) int { return b.key - k })
	if found {
		(*s)[i].count += n
		return false
	}
	*s = slices.Insert(*s, i, sparseBucket{key: key, count: n})
	return true
}

// halve merges each pair of buckets into the bucket of the next lower schema that
// holds both: key k becomes ceil(k/2), an order-preserving map, so the slice stays sorted.
func (s *sparseBuckets) halve() {
	out := (*s)[:0]
	for _, b := range *s {
		k := b.key
		if k > 0 {
			k++
		}
		k /= 2
		if n := len(out); n > 0 && out[n-1].key == k {
			out[n-1].count += b.count
			continue
		}
		out = append(out, sparseBucket{key: k, count: b.count})
	}
	*s = out
}

// nativeState is the native part of a histogram: schema, zero bucket and the
// populated buckets.
type nativeState struct {
	schema        int32
	zeroThreshold float64
	zeroCount     uint64
	pos, neg      sparseBuckets
}

// observe counts v (not NaN).
func (n *nativeState) observe(v float64) {
	switch {
	case v > n.zeroThreshold:
		n.pos.add(nativeKey(v, n.schema), 1)
	case v < -n.zeroThreshold:
		n.neg.add(nativeKey(v, n.schema), 1)
	default:
		n.zeroCount++
	}
}

// buckets is the number of populated buckets, the figure the bucket limit bounds.
func (n *nativeState) buckets() int { return len(n.pos) + len(n.neg) }

// halveResolution doubles the width of every bucket, down to schema -4.
func (n *nativeState) halveResolution() {
	if n.schema == nativeSchemaMin {
		return
	}
	n.schema--
	n.pos.halve()
	n.neg.halve()
}

// reset empties every bucket and restores the initial schema and threshold.
func (n *nativeState) reset(schema int32, zeroThreshold float64) {
	*n = nativeState{schema: schema, zeroThreshold: zeroThreshold, pos: n.pos[:0], neg: n.neg[:0]}
}

// spanCount returns how many spans encode s: a new span starts after a gap of
// more than two empty buckets, smaller gaps are filled with empty buckets.
func (s sparseBuckets) spanCount() (spans, deltas int) {
	next := 0
	for i, b := range s {
		gap := b.key - next
		if i == 0 || gap > 2 {
			spans++
		} else {
			deltas += gap
		}
		deltas++
		next = b.key + 1
	}
	return spans, deltas
}
