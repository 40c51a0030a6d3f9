package metrics

import (
	"math"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// A 3-request AIPerf run's TTFT statistics, as AIPerf printed them.
func TestSummarizeSpecCheck(t *testing.T) {
	s := Summarize([]float64{85.26, 85.99, 135.83})
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"std", s.Std, 23.67},
		{"p99", s.P99, 134.83},
		{"p90", s.P90, 125.86},
		{"avg", s.Avg, 102.36},
		{"p50", s.P50, 85.99},
		{"min", s.Min, 85.26},
		{"max", s.Max, 135.83},
	} {
		if got := round2(c.got); got != c.want {
			t.Errorf("%s = %v (%.2f), want %.2f", c.name, c.got, got, c.want)
		}
	}
	if s.Count != 3 {
		t.Errorf("count = %d", s.Count)
	}
}

// Hand-computed tables: index = q/100·(n−1), linear between ranks.
func TestSummarizeHand(t *testing.T) {
	tests := []struct {
		name string
		in   []float64
		want Summary
	}{
		{"one", []float64{7}, Summary{Count: 1, Sum: 7, Avg: 7, Min: 7, Max: 7,
			P1: 7, P5: 7, P10: 7, P25: 7, P50: 7, P75: 7, P90: 7, P95: 7, P99: 7}},
		// n=2: index = q/100; p25 = 10 + 0.25·10.
		{"two", []float64{20, 10}, Summary{Count: 2, Sum: 30, Avg: 15, Min: 10, Max: 20,
			P1: 10.1, P5: 10.5, P10: 11, P25: 12.5, P50: 15, P75: 17.5, P90: 19, P95: 19.5, P99: 19.9, Std: 5}},
		// 1..5: index = q/100·4; p10 → 1.4, p90 → 4.6; std = sqrt(2).
		{"five", []float64{5, 3, 1, 4, 2}, Summary{Count: 5, Sum: 15, Avg: 3, Min: 1, Max: 5,
			P1: 1.04, P5: 1.2, P10: 1.4, P25: 2, P50: 3, P75: 4, P90: 4.6, P95: 4.8, P99: 4.96, Std: math.Sqrt2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Summarize(tc.in)
			if !closeSummary(got, tc.want, 1e-9) {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestSummarizeEmptyAndInputUntouched(t *testing.T) {
	if s := Summarize(nil); s != (Summary{}) {
		t.Errorf("empty: %+v", s)
	}
	in := []float64{3, 1, 2}
	Summarize(in)
	if in[0] != 3 || in[1] != 1 || in[2] != 2 {
		t.Errorf("input reordered: %v", in)
	}
}

// testdata/numpy_stats.json was produced by numpy (np.mean, np.std, np.percentile);
// we must agree bit for bit, so no rounding can ever differ from AIPerf's.
func TestSummarizeMatchesNumpy(t *testing.T) {
	f := testkit.ReadJSON[struct {
		Cases []struct {
			Values      []float64
			Avg, Std    float64
			Min, Max    float64
			Percentiles []float64
		}
	}](t, "testdata/numpy_stats.json")
	if len(f.Cases) == 0 {
		t.Fatal("no cases")
	}
	for i, c := range f.Cases {
		s := Summarize(c.Values)
		if s.Avg != c.Avg || s.Std != c.Std || s.Min != c.Min || s.Max != c.Max {
			t.Errorf("case %d (n=%d): avg %v/%v std %v/%v min %v/%v max %v/%v", i, len(c.Values),
				s.Avg, c.Avg, s.Std, c.Std, s.Min, c.Min, s.Max, c.Max)
		}
		for k, q := range Percentiles {
			if got := s.Percentile(q); got != c.Percentiles[k] {
				t.Errorf("case %d (n=%d): p%d = %v, numpy %v", i, len(c.Values), q, got, c.Percentiles[k])
			}
		}
	}
}

func closeSummary(a, b Summary, eps float64) bool {
	if a.Count != b.Count {
		return false
	}
	fa := []float64{a.Sum, a.Avg, a.Min, a.Max, a.P1, a.P5, a.P10, a.P25, a.P50, a.P75, a.P90, a.P95, a.P99, a.Std}
	fb := []float64{b.Sum, b.Avg, b.Min, b.Max, b.P1, b.P5, b.P10, b.P25, b.P50, b.P75, b.P90, b.P95, b.P99, b.Std}
	for i := range fa {
		if math.Abs(fa[i]-fb[i]) > eps {
			return false
		}
	}
	return true
}

// Stat finds every statistic by the key the report files use, and no other.
func TestSummaryStat(t *testing.T) {
	s := Summary{Count: 7, Sum: 70, Avg: 10, Min: 1, Max: 30, Std: 4,
		P1: 1.5, P5: 2, P10: 3, P25: 5, P50: 9, P75: 12, P90: 20, P95: 25, P99: 29}
	for key, want := range map[string]float64{
		"count": 7, "sum": 70, "avg": 10, "min": 1, "max": 30, "std": 4,
		"p1": 1.5, "p5": 2, "p10": 3, "p25": 5, "p50": 9, "p75": 12, "p90": 20, "p95": 25, "p99": 29,
	} {
		if got, ok := s.Stat(key); !ok || got != want {
			t.Errorf("Stat(%q) = %v, %v; want %v, true", key, got, ok, want)
		}
	}
	for _, key := range []string{"", "median", "50", "px"} {
		if _, ok := s.Stat(key); ok {
			t.Errorf("Stat(%q) found a value; want none", key)
		}
	}
}
