package probe

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// ReadRateSeries takes AIPerf's two shapes and refuses what AIPerf refuses,
// each with its own message.
func TestReadRateSeries(t *testing.T) {
	two := []RatePoint{{0, 1}, {60, 7}}
	for _, tc := range []struct {
		name, text string
		want       []RatePoint
		err        string // part of the error; "" = none
	}{
		{"object", `{"points":[{"time_s":0,"qps":1},{"time_s":60,"qps":7}]}`, two, ""},
		{"array", ` [{"qps":1,"time_s":0},{"time_s":60,"qps":7}] `, two, ""},
		{"first point late", `[{"time_s":5,"qps":1},{"time_s":60,"qps":7}]`, []RatePoint{{5, 1}, {60, 7}}, ""},
		{"not JSON", `{"points":[`, nil, "invalid request-rate series JSON"},
		{"array not JSON", `[{"time_s":0,`, nil, "invalid request-rate series JSON"},
		{"empty file", ``, nil, "invalid request-rate series JSON"},
		{"other key", `{"points":[],"extra":1}`, nil, "exactly one top-level key: points"},
		{"no points key", `{"pts":[]}`, nil, "exactly one top-level key: points"},
		{"scalar", `42`, nil, "an object with points or a points array"},
		{"points not array", `{"points":{"time_s":0}}`, nil, "points must be an array"},
		{"one point", `[{"time_s":0,"qps":1}]`, nil, "at least two points"},
		{"negative time", `[{"time_s":-1,"qps":1},{"time_s":1,"qps":1}]`, nil, "point 0: time_s must be >= 0"},
		{"zero qps", `[{"time_s":0,"qps":1},{"time_s":1,"qps":0}]`, nil, "point 1: qps must be > 0"},
		{"missing qps", `[{"time_s":0},{"time_s":1,"qps":1}]`, nil, "point 0: qps is missing"},
		{"extra key", `[{"time_s":0,"qps":1,"rate":2},{"time_s":1,"qps":1}]`, nil, `unknown key "rate"`},
		{"key case", `[{"Time_S":0,"qps":1},{"time_s":1,"qps":1}]`, nil, `unknown key "Time_S"`},
		{"long key cut", `[{"time_s":0,"qps":1,"` + strings.Repeat("k", 200) + `":2},{"time_s":1,"qps":1}]`, nil, `unknown key "` + strings.Repeat("k", 100) + `…" (200 bytes) (want`},
		{"string number", `[{"time_s":"0","qps":1},{"time_s":1,"qps":1}]`, nil, "time_s must be a number"},
		{"point not object", `[1,2]`, nil, "point 0: must be an object"},
		{"equal times", `[{"time_s":1,"qps":1},{"time_s":1,"qps":2}]`, nil, "strictly increasing"},
		{"decreasing times", `[{"time_s":2,"qps":1},{"time_s":1,"qps":2}]`, nil, "strictly increasing"},
		{"rate too high", `[{"time_s":0,"qps":1},{"time_s":1,"qps":2e9}]`, nil, "too high"},
		{"rate too low", `[{"time_s":0,"qps":1e-12},{"time_s":1,"qps":2}]`, nil, "too low"},
		{"time too late", `[{"time_s":0,"qps":1},{"time_s":1e12,"qps":2}]`, nil, "beyond 100 years"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "rate.json")
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := ReadRateSeries(path)
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Fatalf("error %v, want one containing %q", err, tc.err)
			case tc.err == "" && !slices.Equal(got, tc.want):
				t.Fatalf("points %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := ReadRateSeries(filepath.Join(t.TempDir(), "absent.json")); err == nil || !strings.Contains(err.Error(), "cannot read") {
		t.Errorf("a missing file: %v", err)
	}
	// A device never ends: refused, not read forever.
	if _, err := ReadRateSeries("/dev/zero"); err == nil || !strings.Contains(err.Error(), "/dev/zero: not a regular file") {
		t.Errorf("a device: %v", err)
	}
}

// The series' curve holds AIPerf's value_at: the first rate before the first
// point, linear between points, the last rate after; Λ and offset invert each
// other; a rate ramp runs first and shifts the series by its length.
func TestSeriesCurve(t *testing.T) {
	series := []RatePoint{{2, 10}, {4, 30}, {5, 5}}
	c := seriesCurve(series, 0)
	for _, tc := range []struct{ t, rate float64 }{{0, 10}, {1.9, 10}, {2, 10}, {3, 20}, {4, 30}, {4.5, 17.5}, {5, 5}, {100, 5}} {
		if got := c.rate(tc.t); math.Abs(got-tc.rate) > 1e-9 {
			t.Errorf("rate(%g) = %g, want %g", tc.t, got, tc.rate)
		}
	}
	// Λ(5) = 10·2 + (10+30)/2·2 + (30+5)/2·1 = 77.5
	if got := c.expected(5); math.Abs(got-77.5) > 1e-9 {
		t.Errorf("Λ(5) = %g, want 77.5", got)
	}
	for _, sec := range []float64{0, 1e-6, 1, 2, 2.5, 3.999, 4, 4.7, 5, 9} {
		if got := c.offset(c.expected(sec)); math.Abs(got-sec) > 1e-9*max(1, sec) {
			t.Errorf("offset(Λ(%g)) = %g", sec, got)
		}
	}
	ramped := seriesCurve(series, 3*time.Second)
	if got, want := ramped.rate(0), 10*rampStep.Seconds()/3; math.Abs(got-want) > 1e-12 {
		t.Errorf("ramped start %g, want %g", got, want)
	}
	for _, tc := range []struct{ t, rate float64 }{{3, 10}, {5, 10}, {6, 20}, {8, 5}} {
		if got := ramped.rate(tc.t); math.Abs(got-tc.rate) > 1e-9 {
			t.Errorf("ramped rate(%g) = %g, want %g", tc.t, got, tc.rate)
		}
	}
}

// Arrivals drawn as the engine draws them follow the series in every
// half-second window: within one of Λ(b) − Λ(a) for a constant pattern,
// within 5 standard deviations for a Poisson one.
func TestSeriesArrivals(t *testing.T) {
	c := seriesCurve([]RatePoint{{0, 50}, {2, 300}, {3, 300}, {4, 20}}, 0)
	for _, a := range []Arrivals{{Pattern: "constant"}, {Pattern: "poisson"}} {
		checkArrivalWindows(t, c, a, 3, 1)
	}
}

// A series against the mock: the planned starts follow its Λ (within 1.5 at
// every half second) although no --request-rate is given.
func TestRateSeriesAgainstMock(t *testing.T) {
	series := []RatePoint{{0, 20}, {1, 120}, {2, 120}}
	c := seriesCurve(series, 0)
	n := int(c.expected(2.5))
	m := startMock(t, fastMock)
	recs := runMock(t, context.Background(), m, chatDataset(20), Config{RequestCount: n, Seed: 1,
		Schedule: Schedule{Arrivals: Arrivals{Pattern: "constant"}, RateSeries: series}})
	if len(recs) != n {
		t.Fatalf("%d records, want %d", len(recs), n)
	}
	t0 := recs[0].IntendedStartNs
	planned := make([]float64, n)
	for i, rec := range recs {
		t0 = min(t0, rec.IntendedStartNs)
		planned[i] = float64(rec.IntendedStartNs)
	}
	for i := range planned {
		planned[i] = time.Duration(int64(planned[i]) - t0).Seconds()
	}
	for edge := 0.5; edge <= 2.5; edge += 0.5 {
		got := 0
		for _, x := range planned {
			if x < edge {
				got++
			}
		}
		if want := c.expected(edge); math.Abs(float64(got)-want) > 1.5 {
			t.Errorf("%d requests planned before %.1f s, the series expects %.1f", got, edge, want)
		}
	}
}

// With a series and no --concurrency, requests in flight are capped as a
// --request-rate's are (DefaultRateInFlight), not by a closed loop of one:
// slow requests sent 20 ms apart overlap.
func TestRateSeriesNotClosedLoop(t *testing.T) {
	m := startMock(t, mockserver.Config{TTFT: 300 * time.Millisecond, OutputTokens: 2, Seed: 1})
	recs := runMock(t, context.Background(), m, chatDataset(5), Config{RequestCount: 5, Seed: 1,
		Schedule: Schedule{Arrivals: Arrivals{Pattern: "constant"}, RateSeries: []RatePoint{{0, 50}, {1, 50}}}})
	most := testkit.MostInFlight(recs)
	if most < 2 {
		t.Errorf("at most %d request(s) in flight, want the 300 ms requests sent 20 ms apart to overlap", most)
	}
}
