package servermetrics

import (
	"math"
	"sort"
)

// Bucket is one classic histogram bucket: how many observations were at or
// below Le (cumulative, as Prometheus exposes them).
type Bucket struct {
	Le    float64
	Count float64
}

// Quantile estimates the q-quantile (0..1) of the observations counted by
// buckets the way PromQL's histogram_quantile does for classic histograms:
// find the bucket holding rank q·count and interpolate linearly inside it,
// the lowest bucket starting at 0 (or being returned as is when its bound is
// not above 0); a rank in the +Inf bucket gives the highest finite bound. It
// is an estimate: only the bucket of each observation is known. NaN when
// there are no observations, fewer than two buckets or no +Inf bucket.
func Quantile(q float64, buckets []Bucket) float64 {
	switch {
	case math.IsNaN(q):
		return math.NaN()
	case q < 0:
		return math.Inf(-1)
	case q > 1:
		return math.Inf(1)
	}
	b := append([]Bucket(nil), buckets...)
	sort.Slice(b, func(i, j int) bool { return b[i].Le < b[j].Le })
	if len(b) < 2 || !math.IsInf(b[len(b)-1].Le, 1) {
		return math.NaN()
	}
	monotonic(b)
	total := b[len(b)-1].Count
	if total == 0 {
		return math.NaN()
	}
	rank := q * total
	i := sort.Search(len(b)-1, func(i int) bool { return b[i].Count >= rank })
	switch {
	case i == len(b)-1:
		return b[len(b)-2].Le
	case i == 0 && b[0].Le <= 0:
		return b[0].Le
	}
	start, end, count := 0.0, b[i].Le, b[i].Count
	if i > 0 {
		start = b[i-1].Le
		count -= b[i-1].Count
		rank -= b[i-1].Count
	}
	return start + (end-start)*(rank/count)
}

// monotonic raises any bucket count below its predecessor's, as PromQL does
// for histograms scraped while observations were being added.
func monotonic(b []Bucket) {
	for i := 1; i < len(b); i++ {
		if b[i].Count < b[i-1].Count {
			b[i].Count = b[i-1].Count
		}
	}
}
