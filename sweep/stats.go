package sweep

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Stat is one metric across repeated runs, with AIPerf's aggregate fields:
// the sample std (n-1), cv = std/|mean|, se = std/√n and the Student t
// confidence interval mean ± t·se with n-1 degrees of freedom.
type Stat struct {
	Mean      float64 `json:"mean"`
	Std       float64 `json:"std"`
	Min       float64 `json:"min"`
	Max       float64 `json:"max"`
	CV        float64 `json:"cv"`
	SE        float64 `json:"se"`
	CILow     float64 `json:"ci_low"`
	CIHigh    float64 `json:"ci_high"`
	TCritical float64 `json:"t_critical"`
	Unit      string  `json:"unit"`
}

// TCritical is the two-sided Student t critical value for the confidence
// level (0.95 → the 0.975 quantile) with df degrees of freedom.
func TCritical(level float64, df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(1 - (1-level)/2)
}

// Confidence summarises values (two or more) at the confidence level.
func Confidence(values []float64, level float64, unit string) Stat {
	n := float64(len(values))
	s := Stat{Unit: unit, Min: math.Inf(1), Max: math.Inf(-1)}
	for _, v := range values {
		s.Mean += v
		s.Min, s.Max = math.Min(s.Min, v), math.Max(s.Max, v)
	}
	s.Mean /= n
	var ss float64
	for _, v := range values {
		ss += (v - s.Mean) * (v - s.Mean)
	}
	s.Std = math.Sqrt(ss / (n - 1))
	s.CV = s.Std / math.Abs(s.Mean) // +Inf at mean 0, as AIPerf; JSON writes it as null
	s.SE = s.Std / math.Sqrt(n)
	s.TCritical = TCritical(level, len(values)-1)
	s.CILow, s.CIHigh = s.Mean-s.TCritical*s.SE, s.Mean+s.TCritical*s.SE
	return s
}
