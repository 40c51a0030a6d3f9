package metrics

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// Summary holds the statistics AIPerf reports for one metric, in the metric's
// display unit. It matches numpy: population std (ddof 0), percentiles by linear
// interpolation between closest ranks, sums by pairwise summation.
type Summary struct {
	Count                                     int
	Sum, Avg, Min, Max                        float64
	P1, P5, P10, P25, P50, P75, P90, P95, P99 float64
	Std                                       float64
}

// Percentiles lists the percentile keys of a Summary in export order.
var Percentiles = []int{1, 5, 10, 25, 50, 75, 90, 95, 99}

// Percentile returns the q-th percentile held by s (q must be one of Percentiles).
func (s Summary) Percentile(q int) float64 {
	switch q {
	case 1:
		return s.P1
	case 5:
		return s.P5
	case 10:
		return s.P10
	case 25:
		return s.P25
	case 50:
		return s.P50
	case 75:
		return s.P75
	case 90:
		return s.P90
	case 95:
		return s.P95
	case 99:
		return s.P99
	}
	panic("metrics: no such percentile")
}

// Stat returns one statistic of s by its AIPerf key (avg, min, max, std, sum,
// count, p1 … p99); false for a key it does not know.
func (s Summary) Stat(key string) (float64, bool) {
	switch key {
	case "avg":
		return s.Avg, true
	case "min":
		return s.Min, true
	case "max":
		return s.Max, true
	case "std":
		return s.Std, true
	case "sum":
		return s.Sum, true
	case "count":
		return float64(s.Count), true
	}
	if q, err := strconv.Atoi(strings.TrimPrefix(key, "p")); err == nil && strings.HasPrefix(key, "p") {
		return s.Percentile(q), true
	}
	return 0, false
}

// Summarize computes the statistics of xs. xs is not modified. An empty input
// gives a zero Summary with Count 0.
func Summarize(xs []float64) Summary {
	n := len(xs)
	if n == 0 {
		return Summary{}
	}
	sorted := append([]float64(nil), xs...)
	sort.Float64s(sorted)

	s := Summary{Count: n, Min: sorted[0], Max: sorted[n-1]}
	for _, x := range xs {
		s.Sum += x
	}
	s.Avg = pairwiseSum(xs) / float64(n)
	dev := make([]float64, n)
	for i, x := range xs {
		d := x - s.Avg
		dev[i] = d * d
	}
	s.Std = math.Sqrt(pairwiseSum(dev) / float64(n))

	s.P1 = percentile(sorted, 1)
	s.P5 = percentile(sorted, 5)
	s.P10 = percentile(sorted, 10)
	s.P25 = percentile(sorted, 25)
	s.P50 = percentile(sorted, 50)
	s.P75 = percentile(sorted, 75)
	s.P90 = percentile(sorted, 90)
	s.P95 = percentile(sorted, 95)
	s.P99 = percentile(sorted, 99)
	return s
}

// percentile is numpy's default ("linear") method on sorted data:
// index = q/100·(n−1), then a lerp between the two closest ranks written the way
// numpy writes it, so results agree to the last bit.
func percentile(sorted []float64, q float64) float64 {
	i, j, gamma := percentileRanks(len(sorted), q)
	return lerp(sorted[i], sorted[j], gamma)
}

// percentileRanks are the two ranks (0-based, in sorted order) the q-th
// percentile of n values lies between, and how far it lies from the first.
func percentileRanks(n int, q float64) (i, j int, gamma float64) {
	idx := float64(n-1) * (q / 100)
	lo := math.Floor(idx)
	gamma = idx - lo
	i = int(lo)
	j = i + 1
	if j > n-1 {
		j = n - 1
	}
	return i, j, gamma
}

// lerp goes gamma of the way from a to b as numpy writes it.
func lerp(a, b, gamma float64) float64 {
	diff := b - a
	if gamma >= 0.5 {
		return b - diff*(1-gamma)
	}
	return a + diff*gamma
}

// pairwiseSum adds xs the way numpy's add.reduce does for float64 arrays
// (blocks of 8 partial sums, recursive halves above 128 values).
func pairwiseSum(xs []float64) float64 {
	n := len(xs)
	switch {
	case n < 8:
		res := 0.0
		for _, x := range xs {
			res += x
		}
		return res
	case n <= 128:
		var r [8]float64
		copy(r[:], xs[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for k := 0; k < 8; k++ {
				r[k] += xs[i+k]
			}
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += xs[i]
		}
		return res
	default:
		n2 := n / 2
		n2 -= n2 % 8
		return pairwiseSum(xs[:n2]) + pairwiseSum(xs[n2:])
	}
}
