package collector

import (
	"math"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"
)

// obs is one observation of an equivalence case; scrape writes both
// histograms (client_golang merges its hot and cold counts then) and compares.
type obs struct {
	v      float64
	id     string // request_id exemplar when not empty
	scrape bool
}

func values(vs ...float64) []obs {
	out := make([]obs, len(vs))
	for i, v := range vs {
		out[i] = obs{v: v}
	}
	return out
}

func withExemplars(prefix string, vs ...float64) []obs {
	out := values(vs...)
	for i := range out {
		out[i].id = prefix + string(rune('a'+i%26)) + string(rune('a'+i/26%26))
	}
	return out
}

func scrape() []obs { return []obs{{scrape: true}} }

// logSpread returns n values from lo to hi, evenly spaced on a log scale.
func logSpread(lo, hi float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Exp(math.Log(lo) + (math.Log(hi)-math.Log(lo))*float64(i)/float64(n-1))
	}
	return out
}

// boundaryValues returns every native bound of schema 3 over a few powers of
// two, with the floats just below and above: where a wrong bound table shows.
func boundaryValues() []float64 {
	var out []float64
	for e := -3; e <= 3; e++ {
		for _, f := range schema3Bounds {
			b := math.Ldexp(f, e)
			out = append(out, math.Nextafter(b, 0), b, math.Nextafter(b, math.Inf(1)))
		}
	}
	return out
}

func cat(parts ...[]obs) []obs {
	var out []obs
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// TestHistogramMatchesClientGolang feeds the same observations to
// client_golang's histogram and to hist and compares the written metrics.
// Only timestamps (created, exemplar) may differ: the two read the clock apart.
func TestHistogramMatchesClientGolang(t *testing.T) {
	opts := func(buckets []float64, factor float64, maxBuckets uint32, minReset time.Duration) prometheus.HistogramOpts {
		return prometheus.HistogramOpts{Name: "h", Help: "help", Buckets: buckets,
			NativeHistogramBucketFactor: factor, NativeHistogramMaxBucketNumber: maxBuckets, NativeHistogramMinResetDuration: minReset}
	}
	ours := histogramOpts("h", "help", TTFTBuckets)
	cases := []struct {
		name   string
		opts   prometheus.HistogramOpts
		obs    []obs
		schema int32 // at the end: shows the bucket limit acted
	}{
		{"empty", ours, nil, 3},
		{"latencies with exemplars", ours, cat(
			withExemplars("r", 0.12, 0.09, 0.3, 0.1, 0.25, 1.7, 0.041, 12),
			scrape(), values(0.2, 0.2, 0.13), withExemplars("s", 0.5)), 3},
		{"classic bounds exactly", ours, values(TTFTBuckets...), 3},
		{"zero bucket and negatives", ours, cat(
			values(0, nativeZeroThreshold, -nativeZeroThreshold, nativeZeroThreshold/2, math.Nextafter(nativeZeroThreshold, 1)),
			withExemplars("n", -0.5, -3, -1e-9, 0), scrape(), values(-0.5, 1e-300, -1e-300)), 3},
		{"infinities and NaN", ours, cat(
			withExemplars("i", math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, -math.MaxFloat64),
			scrape(), values(1, math.Inf(1), math.NaN())), 3},
		{"exemplar on +Inf only", ours, withExemplars("x", 5000), 3},
		{"native bounds schema 3", ours, values(boundaryValues()...), 3},
		{"native exemplars beyond ten", ours, cat(
			withExemplars("e", 0.5, 0.1, 0.9, 0.1, 0.3, 2, 0.05, 0.7, 0.12, 1.1), scrape(),
			withExemplars("f", 0.105, 3, 0.5, 0.0001, 0.6, 0.6, 10, 0.2, 0.101, 0.45, 7, 0.3),
			scrape(), withExemplars("g", 0.3, 0.31, 0.32, 100)), 3},
		{"bucket limit halves the resolution", ours, cat(
			values(logSpread(1e-6, 1e6, 200)...), scrape(),
			withExemplars("l", logSpread(1e-9, 1e9, 120)...), scrape(),
			values(logSpread(1e-30, 1e30, 400)...), values(-1, -1e-20, -1e20)), -1},
		{"limit down to schema -4", opts(TTFTBuckets, nativeFactor, 3, time.Hour),
			cat(values(logSpread(1e-200, 1e200, 300)...), values(math.Inf(1), -7, 0), scrape(), values(0.5, 2e100)), -4},
		{"limit without reset duration", opts(LatencyBuckets, nativeFactor, 20, 0),
			values(logSpread(1e-3, 1e3, 100)...), 0},
		{"schema 2", opts(TokenBuckets, 1.2, 160, time.Hour), cat(values(boundaryValues()...), values(logSpread(1, 200000, 50)...)), 2},
		{"schema 1", opts(TokenBuckets, 1.5, 160, time.Hour), values(boundaryValues()...), 1},
		{"schema 0", opts(TokenBuckets, 2, 160, time.Hour), values(boundaryValues()...), 0},
		{"schema -2", opts(AudioBuckets, 20, 160, time.Hour), values(logSpread(1e-40, 1e40, 80)...), -2},
		{"no classic buckets", opts(nil, nativeFactor, 160, time.Hour), withExemplars("c", 0.1, 1, 10, math.Inf(1)), 3},
		{"explicit +Inf bound", opts([]float64{1, 2, math.Inf(1)}, nativeFactor, 160, time.Hour), withExemplars("p", 0.5, 3, 1.5), 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := prometheus.NewHistogram(tc.opts)
			got := newHistVec(tc.opts, nil).WithLabelValues()
			compareHistograms(t, want, got.(prometheus.Metric), "start")
			for i, o := range tc.obs {
				switch {
				case o.scrape:
					compareHistograms(t, want, got.(prometheus.Metric), "scrape")
				case o.id != "":
					want.(prometheus.ExemplarObserver).ObserveWithExemplar(o.v, prometheus.Labels{"request_id": o.id})
					got.(prometheus.ExemplarObserver).ObserveWithExemplar(o.v, prometheus.Labels{"request_id": o.id})
					// Exemplars are ordered by time: make every timestamp distinct.
					time.Sleep(time.Microsecond)
				default:
					want.Observe(o.v)
					got.Observe(o.v)
				}
				if t.Failed() {
					t.Fatalf("after observation %d (%v)", i, o.v)
				}
			}
			compareHistograms(t, want, got.(prometheus.Metric), "end")
			if s := writeMetric(t, got.(prometheus.Metric)).GetHistogram().GetSchema(); s != tc.schema {
				t.Errorf("schema %d at the end, want %d", s, tc.schema)
			}
		})
	}
}

// compareHistograms writes both metrics and fails unless they are equal once
// their timestamps are checked and cleared.
func compareHistograms(t *testing.T, want, got prometheus.Metric, when string) {
	t.Helper()
	w, g := writeMetric(t, want), writeMetric(t, got)
	if !proto.Equal(w, g) {
		t.Errorf("%s: written metrics differ\nclient_golang:\n%s\nours:\n%s", when,
			prototext.Format(w), prototext.Format(g))
	}
}

// writeMetric writes m and returns a copy with the timestamps cleared, after
// checking they are set and recent.
func writeMetric(t *testing.T, m prometheus.Metric) *dto.Metric {
	t.Helper()
	var out dto.Metric
	if err := m.Write(&out); err != nil {
		t.Fatal(err)
	}
	c := proto.Clone(&out).(*dto.Metric)
	recent := func(what string, ts interface{ AsTime() time.Time }) {
		if d := time.Since(ts.AsTime()); d < 0 || d > time.Minute {
			t.Errorf("%s timestamp %v is not recent", what, ts.AsTime())
		}
	}
	h := c.GetHistogram()
	if h.CreatedTimestamp == nil {
		t.Fatal("no created timestamp")
	}
	recent("created", h.CreatedTimestamp)
	h.CreatedTimestamp = nil
	for _, e := range h.Exemplars {
		recent("native exemplar", e.Timestamp)
		e.Timestamp = nil
	}
	for _, b := range h.Bucket {
		if e := b.Exemplar; e != nil {
			recent("bucket exemplar", e.Timestamp)
			e.Timestamp = nil
		}
	}
	return c
}
