package servermetrics

import (
	"fmt"
	"math"
	"testing"
	"time"
)

// sliceScrape is one made-up scrape: at seconds after t0, the values of a
// counter (reset once), a gauge, a histogram and a counter that appears mid-run.
type sliceScrape struct {
	at                       float64
	counter, gauge           float64
	hLe1, hCount, hSum, late float64 // late < 0: not exposed yet
}

func (s sliceScrape) text() string {
	out := fmt.Sprintf(`# TYPE c_total counter
c_total %g
# TYPE g gauge
g %g
# TYPE h histogram
h_bucket{le="1"} %g
h_bucket{le="+Inf"} %g
h_sum %g
h_count %g
`, s.counter, s.gauge, s.hLe1, s.hCount, s.hSum, s.hCount)
	if s.late >= 0 {
		out += fmt.Sprintf("# TYPE late_total counter\nlate_total %g\n", s.late)
	}
	return out
}

// The slices are the wall clock's whole seconds clipped to the window; a
// counter's slice is what it added between the scrapes opening the slice
// and the next (the final scrape for the last), resets included; a gauge's
// is its samples inside; a histogram's, its bucket increases with estimates.
func TestSliceCutsAtScrapedEdges(t *testing.T) {
	t0 := int64(1_700_000_000) * 1e9 // a whole second on the wall clock
	at := func(sec float64) time.Time { return time.Unix(0, t0+int64(math.Round(sec*1e9))) }
	scrapes := []sliceScrape{
		{0.5, 10, 1, 0, 0, 0, -1}, // baseline, in slice 0
		{1.0, 13, 3, 1, 1, 0.5, -1},
		{1.5, 14, 5, 1, 1, 0.5, 4},
		{2.2, 20, 7, 1, 3, 4.5, 6}, // opens slice 2
		{3.1, 2, 9, 1, 3, 4.5, 6},  // the counter reset: +2
		{3.6, 5, 11, 2, 4, 4.7, 6}, // final, after the window
	}
	e := newEndpoint("u", KindServer)
	e.sliceNs = int64(time.Second)
	for _, s := range scrapes {
		fams, err := Parse([]byte(s.text()))
		if err != nil {
			t.Fatal(err)
		}
		e.add(Snapshot{At: at(s.at), Latency: time.Millisecond, Families: fams})
	}
	res := result(at(0.5), at(3.6), []*endpoint{e})
	res.slice = time.Second
	res.Slice(at(0.7), at(3.4))

	series := func(name string) Series {
		m, ok := res.Lookup(name)
		if !ok {
			t.Fatalf("no %s", name)
		}
		return m.Series[0]
	}
	c := series("c_total")
	type want struct {
		start, end float64
		complete   bool
		from, to   float64 // the edge scrapes
		total      float64
		rate       float64
	}
	wantC := []want{
		{0.7, 1, false, 0.5, 1.0, 3, 10},
		{1, 2, true, 1.0, 2.2, 7, 7},
		{2, 3, true, 2.2, 3.1, 2, 2},
		{3, 3.4, false, 3.1, 3.6, 3, 7.5},
	}
	if len(c.Timeslices) != len(wantC) {
		t.Fatalf("%d counter slices, want %d", len(c.Timeslices), len(wantC))
	}
	for i, w := range wantC {
		ts := c.Timeslices[i]
		if !ts.Start.Equal(at(w.start)) || !ts.End.Equal(at(w.end)) || ts.Complete != w.complete || !ts.From.At.Equal(at(w.from)) || !ts.To.At.Equal(at(w.to)) {
			t.Errorf("slice %d: %v..%v complete %v, edges %v..%v; want %g..%g %v, edges %g..%g", i,
				ts.Start.Sub(at(0)), ts.End.Sub(at(0)), ts.Complete, ts.From.At.Sub(at(0)), ts.To.At.Sub(at(0)), w.start, w.end, w.complete, w.from, w.to)
		}
		if math.Abs(ts.Counter.Total-w.total) > 1e-9 || math.Abs(ts.Counter.Rate-w.rate) > 1e-9 {
			t.Errorf("slice %d: total %g rate %g, want %g and %g", i, ts.Counter.Total, ts.Counter.Rate, w.total, w.rate)
		}
		if d := ts.To.Done.Sub(ts.To.At); d != time.Millisecond {
			t.Errorf("slice %d: edge scrape took %v, want its latency", i, d)
		}
	}
	if r := c.Counter.SliceRates; r == nil || r.Avg != 4.5 || r.Min != 2 || r.Max != 7 || math.Abs(r.Std-math.Sqrt(12.5)) > 1e-9 {
		t.Errorf("rates of the complete slices %+v, want avg 4.5, min 2, max 7, std %g", r, math.Sqrt(12.5))
	}

	// A window starting before its first slice's edge scrape runs from the
	// scrape before: the requests between the two are not lost.
	res.Slice(at(2.1), at(3.4))
	if ts := series("c_total").Timeslices[0]; !ts.From.At.Equal(at(1.0)) || ts.Counter.Total != 9 || !ts.Start.Equal(at(2.1)) {
		t.Errorf("first slice of a window from 2.1 s: from the scrape at %v, total %g; want the 1.0 s scrape and 9", ts.From.At.Sub(at(0)), ts.Counter.Total)
	}
	res.Slice(at(0.7), at(3.4))

	var lateTotals []float64
	for _, ts := range series("late_total").Timeslices {
		lateTotals = append(lateTotals, ts.Counter.Total)
	}
	if fmt.Sprint(lateTotals) != "[0 6 0 0]" {
		t.Errorf("a counter appearing in slice 1 added %v per slice, want [0 6 0 0]", lateTotals)
	}

	var gauges []string
	for _, ts := range series("g").Timeslices {
		gauges = append(gauges, fmt.Sprintf("%g:%g/%g/%g", ts.Start.Sub(at(0)).Seconds(), ts.Gauge.Avg, ts.Gauge.Min, ts.Gauge.Max))
	}
	// slice 0 holds no sample inside the window; the final one is after it
	if got, want := fmt.Sprint(gauges), "[1:4/3/5 2:7/7/7 3:9/9/9]"; got != want {
		t.Errorf("gauge slices %s, want %s", got, want)
	}

	h := series("h").Timeslices
	type hwant struct {
		count, sum, avg, le1, inf, p50 float64
	}
	wantH := []hwant{{1, 0.5, 0.5, 1, 1, 0.5}, {2, 4, 2, 0, 2, 1}, {0, 0, 0, 0, 0, math.NaN()}, {1, 0.2, 0.2, 1, 1, 0.5}}
	for i, w := range wantH {
		hs := h[i].Histogram
		if math.Abs(hs.Count-w.count) > 1e-9 || math.Abs(hs.Sum-w.sum) > 1e-9 || math.Abs(hs.Avg-w.avg) > 1e-9 ||
			len(hs.Buckets) != 2 || hs.Buckets[0].Count != w.le1 || hs.Buckets[1].Count != w.inf {
			t.Errorf("histogram slice %d: %+v, want %+v", i, hs, w)
			continue
		}
		if math.IsNaN(w.p50) {
			if hs.Estimates != nil {
				t.Errorf("histogram slice %d: estimates %v without observations", i, hs.Estimates)
			}
		} else if p := hs.Estimates[4]; Percentiles[4] != 50 || math.Abs(p-w.p50) > 1e-9 {
			t.Errorf("histogram slice %d: p50 %g, want %g", i, p, w.p50)
		}
	}
}

// With slices, scrapes fall on every slice edge and never further apart
// than the interval.
func TestStep(t *testing.T) {
	for _, c := range []struct{ interval, slice, want time.Duration }{
		{333 * time.Millisecond, time.Second, 250 * time.Millisecond},
		{time.Second, time.Second, time.Second},
		{5 * time.Second, time.Second, time.Second}, // the interval exceeds the slice: once a slice
		{100 * time.Millisecond, 250 * time.Millisecond, 250 * time.Millisecond / 3},
	} {
		got := Step(c.interval, c.slice)
		if got != c.want || got > c.interval && got != c.slice || c.slice%got > c.slice/1e6 {
			t.Errorf("Step(%v, %v) = %v, want %v", c.interval, c.slice, got, c.want)
		}
	}
}

// Scrapes fall on each slice's start and every step after, never short of
// the next edge by the step's rounding.
func TestUntilNextLandsOnEdges(t *testing.T) {
	c := &Collector{cfg: Config{Interval: 400 * time.Millisecond, Slice: time.Second}}
	t0 := int64(1_800_000_000) * 1e9
	for _, x := range []struct{ now, next int64 }{
		{t0, t0 + 333_333_333},
		{t0 + 1, t0 + 333_333_333},
		{t0 + 333_333_333, t0 + 666_666_666},
		{t0 + 700_000_000, t0 + 1e9}, // not t0+999_999_999
		{t0 + 999_999_999, t0 + 1e9},
	} {
		if got := c.untilNext(time.Unix(0, x.now)); got != time.Duration(x.next-x.now) {
			t.Errorf("at +%d ns: next scrape in %v, want at +%d ns", x.now-t0, got, x.next-t0)
		}
	}
}

// After a Rebase (the warmup's end) the window's first slice starts at the
// rebase scrape when it is later than the slice's edge scrape: the warmup's
// requests stay out of the slices too.
func TestSliceStartsAtTheRebase(t *testing.T) {
	t0 := int64(1_700_000_000) * 1e9
	at := func(sec float64) time.Time { return time.Unix(0, t0+int64(math.Round(sec*1e9))) }
	e := newEndpoint("u", KindServer)
	e.sliceNs = int64(time.Second)
	for _, s := range []struct {
		at      float64
		counter int
		rebase  bool
	}{{0.5, 0, false}, {1.0, 3, false}, {1.4, 5, true}, {2.5, 9, false}} {
		fams, err := Parse([]byte(fmt.Sprintf("# TYPE c_total counter\nc_total %d\n", s.counter)))
		if err != nil {
			t.Fatal(err)
		}
		e.rebase = s.rebase
		e.add(Snapshot{At: at(s.at), Latency: time.Millisecond, Families: fams})
	}
	res := result(at(0.5), at(2.5), []*endpoint{e})
	res.slice = time.Second
	res.Slice(at(1.45), at(2.4))
	m, _ := res.Lookup("c_total")
	s := m.Series[0]
	if s.Counter.Total != 4 {
		t.Errorf("window total %g, want 4 (from the rebase scrape's 5)", s.Counter.Total)
	}
	if len(s.Timeslices) != 2 || s.Timeslices[0].Counter.Total != 4 || !s.Timeslices[0].From.At.Equal(at(1.4)) || s.Timeslices[1].Counter.Total != 0 {
		t.Errorf("slices %+v: want 4 from the rebase scrape at 1.4 s, then 0", s.Timeslices)
	}
}
