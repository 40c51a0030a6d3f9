package collector

import (
	"strings"
	"testing"

	promhist "github.com/prometheus/prometheus/model/histogram"
)

// The bound tables are the native histogram format's: Prometheus computes
// bucket bounds from the same numbers when it reads what we expose.
func TestNativeBoundsMatchPrometheus(t *testing.T) {
	for s := int32(1); s <= nativeSchemaMax; s++ {
		n := 1 << s
		h := &promhist.Histogram{Schema: s, Count: 1,
			PositiveSpans: []promhist.Span{{Offset: 0, Length: uint32(n)}}, PositiveBuckets: make([]int64, n)}
		h.PositiveBuckets[0] = 1
		var got []float64
		for it := h.PositiveBucketIterator(); it.Next(); {
			got = append(got, it.At().Upper/2) // bucket i ends at 2 * bound i
		}
		if len(got) != len(nativeBounds[s]) {
			t.Fatalf("schema %d: Prometheus has %d bounds, we have %d", s, len(got), len(nativeBounds[s]))
		}
		for i, b := range got {
			if nativeBounds[s][i] != b {
				t.Errorf("schema %d bound %d: %v, Prometheus %v", s, i, nativeBounds[s][i], b)
			}
		}
	}
}

func TestPickNativeSchema(t *testing.T) {
	cases := []struct {
		factor float64
		want   int32
		err    string
	}{
		{1.1, 3, ""},    // histogramOpts: 2^(1/8) = 1.0905
		{1.0906, 3, ""}, // just above 2^(1/8)
		{1.0905, 0, "finer than schema 3"},
		{1.2, 2, ""},
		{1.5, 1, ""},
		{2, 0, ""},
		{3.9, 0, ""},
		{4, -1, ""},
		{65536, -4, ""},
		{1e9, -4, ""},
		{1, 0, "must be above 1"},
		{0, 0, "must be above 1"},
	}
	for _, tc := range cases {
		got, err := pickNativeSchema(tc.factor)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("factor %g: error %v, want one with %q", tc.factor, err, tc.err)
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("factor %g: schema %d, %v; want %d", tc.factor, got, err, tc.want)
		}
	}
}
