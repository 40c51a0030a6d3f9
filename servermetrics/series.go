package servermetrics

import (
	"math"
	"sort"
	"strings"
	"time"

	dto "github.com/prometheus/client_model/go"
)

// Metric types as AIPerf's export spells them.
const (
	TypeGauge     = "gauge"
	TypeCounter   = "counter"
	TypeHistogram = "histogram"
	TypeUnknown   = "unknown"
)

// seriesKey names one series of one endpoint: metric name and its labels.
type seriesKey struct {
	name, labels string
}

// series accumulates one series over the run window. Counters and histograms
// keep the last cumulative values seen and add up what each scrape added,
// so a reset (a value going down: the server restarted) adds the new value,
// as PromQL's increase() does; gauges keep every sample.
type series struct {
	name   string
	typ    string
	help   string
	labels map[string]string

	samples []float64 // gauge and unknown
	times   []int64   // each sample's scrape time (Unix ns), for the slices

	// marks are the running increases at each slice edge (Config.Slice),
	// in edge order; a series has none for the edges before it appeared.
	marks []mark
	// base is where the window starts after a Rebase: the running
	// increases then, and the gauge samples taken before it.
	base        mark
	baseSamples int

	last       float64 // counter: last cumulative value
	total      float64 // counter: increase over the window
	lastCount  float64 // histogram: last cumulative count
	lastSum    float64
	lastBucket []Bucket // histogram: last cumulative buckets
	count, sum float64  // histogram: increase over the window
	buckets    []Bucket // histogram: cumulative bucket increases
	resets     int
}

// endpoint is what one scraped URL has given so far. Only its own collector
// goroutine touches it until the run ends.
type endpoint struct {
	url, kind  string
	name       string // shown instead of url
	fetches    int
	failures   int
	lastError  string
	first      time.Time // first successful scrape (the window's start)
	last       time.Time // last successful scrape
	latencySum time.Duration
	series     map[seriesKey]*series

	// rebase asks the next successful scrape to start the window anew;
	// windowStart is when that scrape was sent.
	rebase                  bool
	windowStart, windowDone time.Time

	sliceNs  int64  // Config.Slice in ns; 0: no slice edges
	edges    []edge // one per slice edge passed, in order
	lastEdge edge   // the last successful scrape, which ends the last slice
}

// edge is the scrape that opens slice k: the first successful one at or
// after the slice's start, the wall clock's k-th multiple of the slice
// duration. At and Done bound when the scrape read the values.
type edge struct {
	k        int64
	At, Done time.Time
}

// mark is what a counter or histogram series had added since the baseline
// at one slice edge.
type mark struct {
	k          int64
	total      float64 // counter
	count, sum float64 // histogram
	buckets    []Bucket
	resets     int // counter or histogram resets seen so far
}

func newEndpoint(url, kind string) *endpoint {
	return &endpoint{url: url, name: url, kind: kind, series: make(map[seriesKey]*series)}
}

// fail counts a failed scrape and reports whether it is the endpoint's first.
func (e *endpoint) fail(err error) bool {
	e.fetches++
	e.failures++
	e.lastError = err.Error()
	return e.failures == 1
}

// add folds one successful scrape into the window. The first one is the
// baseline: counters and histograms start from it, gauges count it. A
// counter or histogram series that first shows up after the baseline was
// created during the run (client libraries create labelled series on first
// use), so all of its value counts.
func (e *endpoint) add(s Snapshot) {
	e.fetches++
	e.latencySum += s.Latency
	baseline := e.first.IsZero()
	if baseline {
		e.first = s.At
	}
	e.last = s.At
	at := int64(0) // a gauge sample's time, kept only to cut slices
	if e.sliceNs > 0 {
		at = s.At.UnixNano()
	}
	if e.rebase { // the window's gauge samples start with this scrape's
		for _, sr := range e.series {
			sr.baseSamples = len(sr.samples)
		}
	}
	for _, fam := range s.Families {
		typ, ok := familyType(fam)
		if !ok {
			continue
		}
		for _, m := range fam.GetMetric() {
			labels := labelMap(m.GetLabel())
			key := seriesKey{fam.GetName(), canonical(labels)}
			sr, seen := e.series[key]
			if !seen {
				sr = &series{name: fam.GetName(), typ: typ, help: fam.GetHelp(), labels: labels}
				e.series[key] = sr
				if !baseline {
					sr.fromZero()
					seen = true
				}
			}
			if sr.typ != typ {
				continue // the server changed a family's type mid-run; keep the first
			}
			sr.observe(m, seen, at)
		}
	}
	e.markEdges(s, baseline)
	if e.rebase {
		e.rebase, e.windowStart, e.windowDone = false, s.At, s.At.Add(s.Latency)
		for _, sr := range e.series {
			sr.base = sr.running()
			sr.base.buckets = append([]Bucket(nil), sr.buckets...)
		}
	}
}

// markEdges records the slice edges this scrape is the first at or after:
// every series' running increases are that edge's values. The baseline opens
// its own slice with nothing added yet.
func (e *endpoint) markEdges(s Snapshot, baseline bool) {
	e.lastEdge = edge{At: s.At, Done: s.At.Add(s.Latency)}
	if e.sliceNs <= 0 {
		return
	}
	k := floorDiv(s.At.UnixNano(), e.sliceNs)
	from := k
	if !baseline {
		from = e.edges[len(e.edges)-1].k + 1
	}
	for j := from; j <= k; j++ {
		e.edges = append(e.edges, edge{k: j, At: s.At, Done: s.At.Add(s.Latency)})
		if baseline {
			continue // nothing added yet: a missing mark reads as zero
		}
		for _, sr := range e.series {
			sr.mark(j)
		}
	}
}

// mark records the series' running increases as the edge of slice k.
func (s *series) mark(k int64) {
	switch s.typ {
	case TypeCounter:
		s.marks = append(s.marks, mark{k: k, total: s.total})
	case TypeHistogram:
		s.marks = append(s.marks, mark{k: k, count: s.count, sum: s.sum, buckets: append([]Bucket(nil), s.buckets...)})
	}
}

// floorDiv is a/b rounded down (b > 0).
// finite reports whether a scraped value can enter a figure: a NaN or an
// infinity (a broken exporter) would turn the run's total into NaN.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

// observe adds one scraped sample; seen is false for the baseline sample,
// which counters and histograms only remember. at is the scrape's time, 0
// without slices (gauge times are kept only to cut slices).
func (s *series) observe(m *dto.Metric, seen bool, at int64) {
	switch s.typ {
	case TypeGauge, TypeUnknown:
		v := m.GetGauge().GetValue()
		if m.Gauge == nil {
			v = m.GetUntyped().GetValue()
		}
		if finite(v) {
			s.samples = append(s.samples, v)
			if at != 0 {
				s.times = append(s.times, at)
			}
		}
	case TypeCounter:
		v := m.GetCounter().GetValue()
		if m.Counter == nil {
			v = m.GetUntyped().GetValue()
		}
		if !finite(v) {
			return // a NaN or infinite count is no count: the next good sample goes on from the last
		}
		if seen {
			s.total += increase(s.last, v, &s.resets)
		}
		s.last = v
	case TypeHistogram:
		h := m.GetHistogram()
		cur := histBuckets(h)
		count, sum := float64(h.GetSampleCount()), h.GetSampleSum()
		if !finite(sum) {
			return
		}
		if seen && s.lastBucket == nil { // appeared mid-run: everything in it is new
			s.lastBucket = make([]Bucket, len(cur))
			for i := range cur {
				s.lastBucket[i].Le = cur[i].Le
			}
			s.buckets = append([]Bucket(nil), s.lastBucket...)
		}
		if !seen || !sameBounds(cur, s.lastBucket) {
			// First sample, or the server changed its bucket layout: what
			// was added across a change cannot be placed in the new buckets,
			// so the buckets restart from here (count and sum go on).
			s.buckets = make([]Bucket, len(cur))
			for i := range cur {
				s.buckets[i].Le = cur[i].Le
			}
		} else {
			reset := count < s.lastCount
			if reset {
				s.resets++
			}
			for i := range cur {
				if reset {
					s.buckets[i].Count += cur[i].Count
				} else {
					s.buckets[i].Count += max(0, cur[i].Count-s.lastBucket[i].Count)
				}
			}
		}
		if seen {
			if count < s.lastCount {
				s.count += count
				s.sum += sum
			} else {
				s.count += count - s.lastCount
				s.sum += sum - s.lastSum
			}
		}
		s.lastBucket, s.lastCount, s.lastSum = cur, count, sum
	}
}

// fromZero makes a series that appeared mid-run start from zero, as if it
// had been seen at the baseline with nothing counted yet.
func (s *series) fromZero() {
	s.last, s.lastCount, s.lastSum = 0, 0, 0
}

// increase is what a counter added between two scrapes; a drop is a reset
// and the new value is what was added since.
func increase(prev, cur float64, resets *int) float64 {
	if cur < prev {
		*resets++
		return cur
	}
	return cur - prev
}

// familyType maps a parsed family to AIPerf's type names. Python's
// prometheus_client declares a counter's TYPE without its "_total" suffix,
// so expfmt reads the samples as untyped: an untyped "_total" family is a
// counter by convention. Python's "_created" timestamps are left out, and so
// are summaries (their quantiles span the server's whole life).
func familyType(f *dto.MetricFamily) (string, bool) {
	switch f.GetType() {
	case dto.MetricType_GAUGE:
		return TypeGauge, true
	case dto.MetricType_COUNTER:
		return TypeCounter, true
	case dto.MetricType_HISTOGRAM:
		return TypeHistogram, true
	case dto.MetricType_UNTYPED:
		name := f.GetName()
		switch {
		case strings.HasSuffix(name, "_created"):
			return "", false
		case strings.HasSuffix(name, "_total"):
			return TypeCounter, true
		}
		return TypeUnknown, true
	}
	return "", false
}

// histBuckets returns h's classic buckets with the +Inf bucket added, as
// exposition text lists it but client_model leaves it implicit.
func histBuckets(h *dto.Histogram) []Bucket {
	out := make([]Bucket, 0, len(h.GetBucket())+1)
	for _, b := range h.GetBucket() {
		if math.IsInf(b.GetUpperBound(), 1) {
			continue
		}
		out = append(out, Bucket{Le: b.GetUpperBound(), Count: float64(b.GetCumulativeCount())})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Le < out[j].Le })
	return append(out, Bucket{Le: math.Inf(1), Count: float64(h.GetSampleCount())})
}

func sameBounds(a, b []Bucket) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Le != b[i].Le {
			return false
		}
	}
	return true
}

func labelMap(pairs []*dto.LabelPair) map[string]string {
	if len(pairs) == 0 {
		return nil
	}
	m := make(map[string]string, len(pairs))
	for _, p := range pairs {
		m[p.GetName()] = p.GetValue()
	}
	return m
}

// labelValueEscaper escapes what canonical joins with, so that no two label
// sets (a="x,b=y" and a="x", b="y") make the same string.
var labelValueEscaper = strings.NewReplacer(`\`, `\\`, `,`, `\,`, `=`, `\=`)

// canonical is a label set as one sorted string, for keys and ordering.
func canonical(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k)
		b.WriteByte('=')
		labelValueEscaper.WriteString(&b, labels[k])
		b.WriteByte(',')
	}
	return b.String()
}
