package sweep

import (
	"math"
	"testing"
)

// Known two-sided Student t critical values (any printed t table).
func TestTCritical(t *testing.T) {
	for _, c := range []struct {
		level float64
		df    int
		want  float64
	}{
		{0.95, 1, 12.706}, {0.95, 4, 2.776}, {0.95, 9, 2.262}, {0.95, 29, 2.045},
		{0.99, 4, 4.604}, {0.90, 4, 2.132}, {0.99, 9, 3.250}, {0.80, 2, 1.886},
	} {
		if got := TCritical(c.level, c.df); math.Abs(got-c.want) > 0.0005 {
			t.Errorf("TCritical(%g, %d) = %.4f, want %.3f", c.level, c.df, got, c.want)
		}
	}
}

func TestConfidence(t *testing.T) {
	for _, c := range []struct {
		name   string
		values []float64
		level  float64
		want   Stat
	}{
		// AIPerf's own worked example: TTFT p99 of 5 runs.
		{"aiperf docs example", []float64{150, 152, 148, 155, 151}, 0.95,
			Stat{Mean: 151.2, Std: 2.5884, Min: 148, Max: 155, CV: 0.017119, SE: 1.15758, TCritical: 2.7764, CILow: 147.986, CIHigh: 154.414}},
		{"two runs", []float64{10, 12}, 0.95,
			Stat{Mean: 11, Std: 1.41421, Min: 10, Max: 12, CV: 0.128565, SE: 1, TCritical: 12.7062, CILow: -1.7062, CIHigh: 23.7062}},
		{"no spread", []float64{7, 7, 7}, 0.99,
			Stat{Mean: 7, Min: 7, Max: 7, TCritical: 9.9248, CILow: 7, CIHigh: 7}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Confidence(c.values, c.level, "ms")
			for _, f := range []struct {
				name      string
				got, want float64
			}{
				{"mean", got.Mean, c.want.Mean}, {"std", got.Std, c.want.Std}, {"min", got.Min, c.want.Min},
				{"max", got.Max, c.want.Max}, {"cv", got.CV, c.want.CV}, {"se", got.SE, c.want.SE},
				{"t_critical", got.TCritical, c.want.TCritical}, {"ci_low", got.CILow, c.want.CILow}, {"ci_high", got.CIHigh, c.want.CIHigh},
			} {
				if math.Abs(f.got-f.want) > 0.0005*math.Max(1, math.Abs(f.want)) {
					t.Errorf("%s = %.6f, want %.6f", f.name, f.got, f.want)
				}
			}
			if got.Unit != "ms" {
				t.Errorf("unit = %q", got.Unit)
			}
		})
	}
}
