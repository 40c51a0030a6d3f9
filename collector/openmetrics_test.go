package collector

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"google.golang.org/protobuf/proto"
)

// oddRegistry is a collector whose label values and request ids need escaping,
// with an exemplar on the +Inf bucket, plus histograms whose sums take every
// special form of an OpenMetrics float.
func oddRegistry(t *testing.T) *prometheus.Registry {
	t.Helper()
	reg := prometheus.NewRegistry()
	odd := Scenario{Name: "quote\" back\\slash\nnewline", Models: []string{"omni", "m2"}, Targets: []string{"gpu0"}, Concurrency: 2}
	c, err := New(reg, []Scenario{testScenario, odd})
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"req-1", `id "quoted" \ and` + "\n", ""} {
		r := success(id)
		if i == 1 {
			r.Scenario, r.Model = odd.Name, "m2"
		}
		c.Observe(r)
	}
	c.Observe(serverError())
	slow := success("req-slow") // TTFT beyond the last edge: its exemplar sits on +Inf
	for i := range slow.Responses {
		slow.Responses[i].Offset += 3000 * time.Second
	}
	slow.EndOffset += 3000 * time.Second
	c.Observe(slow)

	sums := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "odd_sums", Help: "Sums of every form.\nSecond \"line\" \\.",
		Buckets: []float64{-1, 0, 1, 1e21}}, []string{"case"})
	for name, vs := range map[string][]float64{"none": nil, "one": {1}, "minus_one": {-1}, "int": {2, 40}, "fraction": {0.1},
		"exponent": {1e21}, "tiny": {1e-7}, "nan": {math.NaN()}, "inf": {math.Inf(+1)}, "neg_inf": {math.Inf(-1)}} {
		o := sums.WithLabelValues(name)
		for _, v := range vs {
			o.Observe(v)
		}
	}
	// Native only: no classic bucket, so its exemplar sits on the implicit +Inf bucket.
	plain := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "odd_unlabelled", Help: "No labels.", NativeHistogramBucketFactor: 1.1})
	plain.(prometheus.ExemplarObserver).ObserveWithExemplar(0.3, prometheus.Labels{"trace_id": "abc"})
	reg.MustRegister(sums, plain)
	return reg
}

// The fast writer is an optimisation of expfmt, so expfmt is the oracle: every
// histogram family of a real collector must come out byte for byte the same.
func TestHistogramFamilyMatchesExpfmt(t *testing.T) {
	mfs, err := oddRegistry(t).Gather()
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, mf := range mfs {
		if mf.GetType() != dto.MetricType_HISTOGRAM {
			continue
		}
		got, ok := appendHistogramFamily([]byte("prefix\n"), mf)
		if !ok {
			t.Errorf("%s: not handled by the fast path", mf.GetName())
			continue
		}
		sameAsExpfmt(t, got, mf)
		compared++
	}
	if compared != 13 {
		t.Errorf("compared %d histogram families, want the 11 of the collector and 2 odd ones", compared)
	}
	text := string(mustEncodeAll(t, mfs))
	for _, want := range []string{`le="+Inf"} 3 # {request_id="req-slow"} 3000.1 `, `\"quoted\" \\ and\n"}`, `case="nan"} NaN`,
		`odd_sums_sum{case="exponent"} 1e+21`, `odd_sums_sum{case="int"} 42.0`, `odd_unlabelled_bucket{le="+Inf"} 1 # {trace_id="abc"} 0.3 `} {
		if !strings.Contains(text, want) {
			t.Errorf("the fixture does not exercise %s", want)
		}
	}
}

// sameAsExpfmt fails t unless got, a fast-path family written after the line
// "prefix", is byte for byte what expfmt writes for mf after that line.
func sameAsExpfmt(t *testing.T, got []byte, mf *dto.MetricFamily) {
	t.Helper()
	var want bytes.Buffer
	want.WriteString("prefix\n")
	if _, err := expfmt.MetricFamilyToOpenMetrics(&want, mf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("%s differs from expfmt:\n got: %s\nwant: %s", mf.GetName(), firstDiff(string(got), want.String()), firstDiff(want.String(), string(got)))
	}
}

func mustEncodeAll(t *testing.T, mfs []*dto.MetricFamily) []byte {
	t.Helper()
	var b []byte
	for _, mf := range mfs {
		b, _ = appendHistogramFamily(b, mf)
	}
	return b
}

// firstDiff returns a's line where a and b first differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range al {
		if i >= len(bl) || al[i] != bl[i] {
			return al[i]
		}
	}
	return "(a prefix of the other)"
}

// What the fast path does not write goes to expfmt: nothing is appended.
func TestHistogramFamilyFallsBack(t *testing.T) {
	hist := func(edit func(*dto.MetricFamily)) *dto.MetricFamily {
		mf := &dto.MetricFamily{Name: proto.String("h_seconds"), Type: dto.MetricType_HISTOGRAM.Enum(),
			Metric: []*dto.Metric{{
				Label: []*dto.LabelPair{{Name: proto.String("a"), Value: proto.String("x")}},
				Histogram: &dto.Histogram{SampleCount: proto.Uint64(1), SampleSum: proto.Float64(0.5),
					Bucket: []*dto.Bucket{{UpperBound: proto.Float64(1), CumulativeCount: proto.Uint64(1)}}},
			}}}
		edit(mf)
		return mf
	}
	cases := []struct {
		name string
		mf   *dto.MetricFamily
	}{
		{"counter", hist(func(mf *dto.MetricFamily) {
			mf.Type = dto.MetricType_COUNTER.Enum()
			mf.Metric[0].Counter = &dto.Counter{Value: proto.Float64(1)}
		})},
		{"gauge histogram", hist(func(mf *dto.MetricFamily) { mf.Type = dto.MetricType_GAUGE_HISTOGRAM.Enum() })},
		{"unit", hist(func(mf *dto.MetricFamily) { mf.Unit = proto.String("seconds") })},
		{"UTF-8 name", hist(func(mf *dto.MetricFamily) { mf.Name = proto.String("h.seconds") })},
		{"empty name", hist(func(mf *dto.MetricFamily) { mf.Name = nil })},
		{"UTF-8 label name", hist(func(mf *dto.MetricFamily) { mf.Metric[0].Label[0].Name = proto.String("a.b") })},
		{"sample timestamp", hist(func(mf *dto.MetricFamily) { mf.Metric[0].TimestampMs = proto.Int64(1) })},
		{"float count", hist(func(mf *dto.MetricFamily) { mf.Metric[0].Histogram.SampleCountFloat = proto.Float64(1) })},
		{"float bucket", hist(func(mf *dto.MetricFamily) {
			mf.Metric[0].Histogram.Bucket[0].CumulativeCountFloat = proto.Float64(1)
		})},
		{"no histogram", hist(func(mf *dto.MetricFamily) { mf.Metric[0].Histogram = nil })},
		{"UTF-8 exemplar label", hist(func(mf *dto.MetricFamily) {
			mf.Metric[0].Histogram.Bucket[0].Exemplar = &dto.Exemplar{Value: proto.Float64(1),
				Label: []*dto.LabelPair{{Name: proto.String("trace.id"), Value: proto.String("t")}}}
		})},
	}
	for _, c := range cases {
		got, ok := appendHistogramFamily([]byte("kept"), c.mf)
		if ok || string(got) != "kept" {
			t.Errorf("%s: handled (%v) or appended %q; want a fallback to expfmt", c.name, ok, got)
		}
	}
	if _, ok := appendHistogramFamily(nil, hist(func(*dto.MetricFamily) {})); !ok {
		t.Error("the unedited family should take the fast path, or the cases above prove nothing")
	}
}
