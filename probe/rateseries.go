package probe

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
)

// RatePoint is one point of AIPerf's --request-rate-series: the rate QPS, in
// requests per second, TimeS seconds into the profiling phase. Between points
// the rate moves linearly; before the first and after the last it stays.
type RatePoint struct {
	TimeS float64 `json:"time_s"`
	QPS   float64 `json:"qps"`
}

// maxSeriesSeconds bounds a point's time so the schedule's offsets stay
// within a time.Duration (100 years, as --request-rate's gap).
const maxSeriesSeconds = 100 * 365.25 * 24 * 3600

// maxSeriesFileBytes bounds a --request-rate-series file (a point is some
// 30 bytes: half a million points).
const maxSeriesFileBytes = 16 << 20

// ReadRateSeries reads a --request-rate-series file as AIPerf does: a JSON
// array of {"time_s", "qps"} points, or an object whose only key "points"
// holds that array; at least two points, times >= 0 and strictly increasing,
// rates > 0, no other keys.
func ReadRateSeries(path string) ([]RatePoint, error) {
	b, err := boundedfile.Read(path, maxSeriesFileBytes)
	if err != nil {
		return nil, fmt.Errorf("cannot read request-rate series JSON %s: %w", path, err)
	}
	b = bytes.TrimSpace(b)
	if !json.Valid(b) {
		return nil, fmt.Errorf("invalid request-rate series JSON %s", path)
	}
	switch b[0] {
	case '{':
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("invalid request-rate series JSON %s: %w", path, err)
		}
		if _, ok := doc["points"]; !ok || len(doc) != 1 {
			return nil, fmt.Errorf("%s: request-rate series JSON must contain exactly one top-level key: points", path)
		}
		b = bytes.TrimSpace(doc["points"])
	case '[':
	default:
		return nil, fmt.Errorf("%s: request-rate series JSON must be an object with points or a points array", path)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: request-rate series JSON points must be an array", path)
	}
	points := make([]RatePoint, 0, len(raw))
	for i, r := range raw {
		p, err := ratePoint(r)
		if err != nil {
			return nil, fmt.Errorf("%s: invalid request-rate series point %d: %w", path, i, err)
		}
		points = append(points, p)
	}
	if err := CheckRateSeries(points); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return points, nil
}

// ratePoint decodes one point strictly: both keys, spelled exactly, no others.
func ratePoint(raw json.RawMessage) (RatePoint, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return RatePoint{}, errors.New("must be an object with time_s and qps")
	}
	for k := range fields {
		if k != "time_s" && k != "qps" {
			return RatePoint{}, fmt.Errorf("unknown key %s (want time_s and qps)", clip.Quote(k))
		}
	}
	var p RatePoint
	for _, f := range []struct {
		key string
		v   *float64
	}{{"time_s", &p.TimeS}, {"qps", &p.QPS}} {
		v, ok := fields[f.key]
		if !ok {
			return RatePoint{}, fmt.Errorf("%s is missing", f.key)
		}
		if err := json.Unmarshal(v, f.v); err != nil {
			return RatePoint{}, fmt.Errorf("%s must be a number, got %s", f.key, v)
		}
	}
	switch {
	case p.TimeS < 0:
		return p, fmt.Errorf("time_s must be >= 0, got %g", p.TimeS)
	case p.QPS <= 0:
		return p, fmt.Errorf("qps must be > 0, got %g", p.QPS)
	}
	return p, nil
}

// CheckRateSeries holds AIPerf's rules for a series given as points, plus the
// bounds of this schedule: a rate whose gap is under 1 ns or over 100 years,
// or a time beyond 100 years, is refused.
func CheckRateSeries(points []RatePoint) error {
	if len(points) < 2 {
		return errors.New("request-rate series requires at least two points")
	}
	for i, p := range points {
		switch {
		case math.IsNaN(p.TimeS) || math.IsInf(p.TimeS, 0) || math.IsNaN(p.QPS) || math.IsInf(p.QPS, 0):
			return errors.New("request-rate series values must be finite")
		case p.TimeS < 0 || p.QPS <= 0:
			return fmt.Errorf("point %d: time_s must be >= 0 and qps > 0, got %g and %g", i, p.TimeS, p.QPS)
		case p.TimeS > maxSeriesSeconds:
			return fmt.Errorf("point %d: time_s %g is beyond 100 years", i, p.TimeS)
		case float64(time.Second)/p.QPS < 1:
			return fmt.Errorf("point %d: qps %g is too high (one request every %g seconds rounds to 0 ns)", i, p.QPS, 1/p.QPS)
		case 1/p.QPS > maxSeriesSeconds:
			return fmt.Errorf("point %d: qps %g is too low (one request every %g seconds is beyond 100 years)", i, p.QPS, 1/p.QPS)
		}
	}
	for i := 1; i < len(points); i++ {
		if points[i].TimeS <= points[i-1].TimeS {
			return errors.New("request-rate series time_s values must be strictly increasing")
		}
	}
	return nil
}

// seriesCurve is the profiling phase's rate under a --request-rate-series,
// after the rate ramp when there is one (AIPerf starts the series once the
// ramp is over): the series' times shifted by the ramp.
func seriesCurve(series []RatePoint, ramp time.Duration) rateCurve {
	var knots []RatePoint
	if ramp > 0 {
		knots = append(knots, newRateRamp(series[0].QPS, ramp).points()...)
	} else {
		knots = append(knots, RatePoint{TimeS: 0, QPS: series[0].QPS})
	}
	for _, p := range series {
		knots = append(knots, RatePoint{TimeS: ramp.Seconds() + p.TimeS, QPS: p.QPS})
	}
	return newRateCurve(knots)
}
