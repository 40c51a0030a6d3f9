package probe

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// The rate ramp starts at AIPerf's proportional minimum (target × 0.1 s / D),
// reaches the target at D, and offset inverts the expected count Λ.
func TestRateRampShape(t *testing.T) {
	r := newRateRamp(100, 60*time.Second)
	if got, want := r.rate(0), 100*0.1/60; math.Abs(got-want) > 1e-12 {
		t.Errorf("start rate %g, want %g", got, want)
	}
	if r.rate(30) <= r.rate(0) || r.rate(60) != 100 || r.rate(90) != 100 {
		t.Errorf("rates %g %g %g", r.rate(30), r.rate(60), r.rate(90))
	}
	for _, sec := range []float64{0, 1e-6, 0.5, 10, 59.9, 60, 61, 1000} {
		if got := r.offset(r.expected(sec)); math.Abs(got-sec) > 1e-9*max(1, sec) {
			t.Errorf("offset(Λ(%g)) = %g", sec, got)
		}
	}
	flat := newRateRamp(2, 100*time.Millisecond) // starts at the target: no slope
	if got := flat.offset(3); math.Abs(got-1.5) > 1e-12 {
		t.Errorf("flat ramp offset(3) = %g, want 1.5", got)
	}
}

// Arrivals under a rate ramp, drawn as the engine draws them (unit-rate gaps of
// the pattern mapped through the ramp), counted in half-second windows: a
// constant pattern is within two arrivals of Λ(b) − Λ(a) in every window, and a
// Poisson one within 5 standard deviations (a Poisson count's variance is its
// mean) — the rate follows the ramp while the gaps keep their shape.
func TestRateRampArrivals(t *testing.T) {
	r := newRateRamp(200, 4*time.Second)
	for _, a := range []Arrivals{{Pattern: "constant"}, {Pattern: "poisson"}, {Pattern: "gamma", Smoothness: 4}} {
		checkArrivalWindows(t, r, a, 11, 2)
	}
}

// A rate ramp against the mock: the planned starts follow Λ (within one per
// half second) and the achieved starts can never run ahead of it, so the
// achieved rate rises with the ramp instead of starting at the target.
func TestRateRampAgainstMock(t *testing.T) {
	const target = 100.0
	d := 2 * time.Second
	r := newRateRamp(target, d)
	n := int(r.expected(3))
	m := startMock(t, fastMock)
	recs := runMock(t, context.Background(), m, chatDataset(20), Config{RequestRate: target, RequestCount: n, Seed: 1,
		Schedule: Schedule{Arrivals: Arrivals{Pattern: "constant"}, Ramps: Ramps{RequestRate: d}}})
	if len(recs) != n {
		t.Fatalf("%d records, want %d", len(recs), n)
	}
	t0 := recs[0].IntendedStartNs
	planned := make([]float64, n)
	for i, rec := range recs {
		planned[i] = time.Duration(rec.IntendedStartNs - t0).Seconds()
	}
	slices.Sort(planned)
	for edge := 0.5; edge <= 3; edge += 0.5 {
		count := func(xs []float64) int {
			c := 0
			for _, x := range xs {
				if x < edge {
					c++
				}
			}
			return c
		}
		want := r.expected(edge)
		if got := count(planned); math.Abs(float64(got)-want) > 1.5 {
			t.Errorf("%d requests planned before %.1f s, the ramp expects %.1f", got, edge, want)
		}
		achieved := make([]float64, n)
		for i, rec := range recs {
			achieved[i] = time.Duration(rec.StartNs - t0).Seconds()
		}
		if got := count(achieved); float64(got) > want+1.5 {
			t.Errorf("%d requests sent before %.1f s, ahead of the ramp's %.1f", got, edge, want)
		}
	}
}

// A concurrency ramp against slow requests: at every send, the requests in
// flight never exceed the ramp's allowance 1 + floor((N−1)·t/D) (t from the
// ramp's start, the first worker's intended start), and the ramp reaches N.
// Late sends only lower the count, so the bound holds on any machine.
func TestConcurrencyRampAgainstMock(t *testing.T) {
	const n = 6
	d := time.Second
	m := startMock(t, mockserver.Config{TTFT: 3 * time.Second, OutputTokens: 2, Seed: 1})
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"closed loop", Config{Concurrency: n, RequestCount: n}},
		{"rate with a cap", Config{Concurrency: n, RequestRate: 1000, RequestCount: n}},
		{"user-centric with a cap", Config{Concurrency: n, RequestCount: n, Schedule: Schedule{Users: Users{Rate: 1000, Count: n}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := tc.cfg
			cfg.Seed, cfg.Ramps = 1, Ramps{Concurrency: d}
			recs := runMock(t, context.Background(), m, chatDataset(n), cfg)
			t0 := recs[0].IntendedStartNs
			for _, r := range recs {
				t0 = min(t0, r.IntendedStartNs)
			}
			cur, peak := 0, 0
			for _, e := range flightEvents(recs) {
				cur += e.delta
				peak = max(peak, cur)
				since := time.Duration(e.at - t0)
				allowed := min(n, 1+int(math.Floor(float64(n-1)*float64(since)/float64(d)+1e-6)))
				if e.delta > 0 && cur > allowed {
					t.Errorf("%d in flight %v into a %v ramp to %d, allowed %d", cur, since, d, n, allowed)
				}
			}
			if peak != n {
				t.Errorf("peak %d in flight, the ramp goes to %d", peak, n)
			}
		})
	}
}

// The options reach the engine.
func TestRampsFromOptions(t *testing.T) {
	o := &options.Options{Models: []string{"m"}, URLs: []string{"127.0.0.1:1"}, EndpointType: "chat",
		ConcurrencyRampDuration: 30, RequestRateRampDuration: 1.5}
	c, err := ConfigFrom(o, "s")
	if err != nil {
		t.Fatal(err)
	}
	if c.Ramps != (Ramps{Concurrency: 30 * time.Second, RequestRate: 1500 * time.Millisecond}) {
		t.Errorf("ramps %+v", c.Ramps)
	}
}
