package servermetrics

import (
	"math"
	"sort"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
)

// Percentiles are the quantiles (in percent) every histogram is estimated at,
// AIPerf's p1..p99.
var Percentiles = metrics.Percentiles

// Result is what the scrapes of one run add up to.
type Result struct {
	Start, End time.Time  // first and last scrape attempt
	Endpoints  []Endpoint // in the order they were configured
	Metrics    []Metric   // sorted by name
	slice      time.Duration
}

// Endpoint is one scraped URL's collection info.
type Endpoint struct {
	URL        string // Target.Name when given
	Kind       string // KindServer or KindGPU
	Fetches    int    // scrapes tried
	Failures   int    // scrapes that failed or returned garbage
	LastError  string // the last failure, empty when none
	First      time.Time
	Last       time.Time // first and last successful scrape: the window
	AvgLatency time.Duration
}

// OK reports whether the endpoint gave at least one usable scrape.
func (e Endpoint) OK() bool { return !e.First.IsZero() }

// Window is the time between the first and the last successful scrape.
func (e Endpoint) Window() time.Duration { return e.Last.Sub(e.First) }

// Metric is one metric name across every endpoint that exposed it.
type Metric struct {
	Name, Type, Help string
	Series           []Series // sorted by endpoint, then labels
}

// Series is one endpoint's series of a metric, reduced over the run window.
// Exactly one of Gauge, Counter and Histogram is set, by the metric's type
// (Gauge for unknown too).
type Series struct {
	Endpoint  string
	Labels    map[string]string
	Gauge     *GaugeStats
	Counter   *CounterStats
	Histogram *HistogramStats
	// Timeslices are the series per --slice-duration slice, once Slice has
	// cut the run's window; nil without slices.
	Timeslices []Timeslice

	raw *series // what Slice cuts
	ep  *endpoint
}

// GaugeStats are exact statistics of a gauge's samples.
type GaugeStats struct {
	metrics.Summary // Count is the number of samples
}

// CounterStats are what a counter added over the window.
type CounterStats struct {
	Total  float64 // increase, resets included
	Rate   float64 // Total per second of window; 0 for a zero-length window
	Resets int
	// SliceRates summarise the rates of the complete timeslices, as
	// AIPerf's rate_avg, rate_min, rate_max and rate_std; nil without slices.
	SliceRates *RateStats
}

// RateStats are the mean, extremes and sample standard deviation of rates.
type RateStats struct{ Avg, Min, Max, Std float64 }

// HistogramStats are what a histogram added over the window.
type HistogramStats struct {
	Count, Sum float64
	Avg        float64 // Sum / Count (exact); NaN when Count is 0
	CountRate  float64
	SumRate    float64
	// Estimates holds one bucket estimate per entry of Percentiles (PromQL's
	// histogram_quantile over the bucket increases); NaN when Count is 0.
	Estimates []float64
	Buckets   []Bucket // cumulative increases, +Inf last
	Resets    int
}

// Estimate returns the estimate at percentile p (one of Percentiles).
func (h *HistogramStats) Estimate(p int) float64 {
	for i, q := range Percentiles {
		if q == p {
			return h.Estimates[i]
		}
	}
	return math.NaN()
}

// result reduces the endpoints' accumulated series.
func result(start, end time.Time, eps []*endpoint) *Result {
	res := &Result{Start: start, End: end}
	byName := map[string]*Metric{}
	for _, e := range eps {
		info := Endpoint{URL: e.name, Kind: e.kind, Fetches: e.fetches, Failures: e.failures, LastError: e.lastError, First: e.first, Last: e.last}
		if !e.windowStart.IsZero() {
			info.First = e.windowStart // after a Rebase
		}
		if ok := e.fetches - e.failures; ok > 0 {
			info.AvgLatency = e.latencySum / time.Duration(ok)
		}
		res.Endpoints = append(res.Endpoints, info)
		secs := info.Window().Seconds()
		for _, s := range e.series {
			m := byName[s.name]
			if m == nil {
				m = &Metric{Name: s.name, Type: s.typ, Help: s.help}
				byName[s.name] = m
			}
			r := s.reduce(e.name, secs)
			r.raw, r.ep = s, e
			m.Series = append(m.Series, r)
		}
	}
	for _, m := range byName {
		sort.Slice(m.Series, func(i, j int) bool {
			a, b := m.Series[i], m.Series[j]
			if a.Endpoint != b.Endpoint {
				return a.Endpoint < b.Endpoint
			}
			return canonical(a.Labels) < canonical(b.Labels)
		})
		res.Metrics = append(res.Metrics, *m)
	}
	sort.Slice(res.Metrics, func(i, j int) bool { return res.Metrics[i].Name < res.Metrics[j].Name })
	return res
}

func (s *series) reduce(url string, secs float64) Series {
	out := Series{Endpoint: url, Labels: s.labels}
	rate := func(v float64) float64 {
		if secs <= 0 {
			return 0
		}
		return v / secs
	}
	resets := s.resets - s.base.resets // those inside the window only
	switch s.typ {
	case TypeCounter:
		total := s.total - s.base.total
		out.Counter = &CounterStats{Total: total, Rate: rate(total), Resets: resets}
	case TypeHistogram:
		buckets := bucketIncrease(s.base.buckets, s.buckets)
		if buckets == nil { // the layout changed after the window's start: the buckets restarted then
			buckets = s.buckets
		}
		h := histogramStats(s.count-s.base.count, s.sum-s.base.sum, buckets, secs)
		h.Resets = resets
		out.Histogram = &h
	default:
		out.Gauge = &GaugeStats{Summary: metrics.Summarize(s.samples[s.baseSamples:])}
	}
	return out
}

// histogramStats are the figures of a histogram's increase over a window of
// secs seconds (rates 0 for a zero-length one).
func histogramStats(count, sum float64, buckets []Bucket, secs float64) HistogramStats {
	h := HistogramStats{Count: count, Sum: sum, Avg: math.NaN(), Buckets: buckets}
	if count > 0 {
		h.Avg = sum / count
	}
	if secs > 0 {
		h.CountRate, h.SumRate = count/secs, sum/secs
	}
	for _, p := range Percentiles {
		h.Estimates = append(h.Estimates, Quantile(float64(p)/100, buckets))
	}
	return h
}

// Lookup returns the metric called name, if any endpoint exposed it.
func (r *Result) Lookup(name string) (Metric, bool) {
	i := sort.Search(len(r.Metrics), func(i int) bool { return r.Metrics[i].Name >= name })
	if i < len(r.Metrics) && r.Metrics[i].Name == name {
		return r.Metrics[i], true
	}
	return Metric{}, false
}
