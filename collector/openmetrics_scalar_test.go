package collector

import (
	"math"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"google.golang.org/protobuf/proto"
)

// oddScalars adds counters and gauges whose values take every special form of
// an OpenMetrics float and whose labels and help need escaping.
func oddScalars(t *testing.T, reg *prometheus.Registry) {
	t.Helper()
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "odd_gauge", Help: "Odd \"gauge\"\nwith \\ escapes."}, []string{"case"})
	for name, v := range map[string]float64{"zero": 0, "neg_zero": math.Copysign(0, -1), "one": 1, "minus_one": -1,
		"fraction": 0.1, "int": 42, "exponent": 1e21, "tiny": -1e-7, "nan": math.NaN(), "inf": math.Inf(1), "neg_inf": math.Inf(-1),
		"quote\" back\\slash\nnewline": 3} {
		g.WithLabelValues(name).Set(v)
	}
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "odd_plain_total", Help: "No labels."})
	c.Add(2.5)
	reg.MustRegister(g, c, prometheus.NewGauge(prometheus.GaugeOpts{Name: "odd_no_help"}))
}

// As TestHistogramFamilyMatchesExpfmt, for counters and gauges: the collector's,
// the Go and process collectors', and odd ones.
func TestScalarFamilyMatchesExpfmt(t *testing.T) {
	reg := oddRegistry(t)
	oddScalars(t, reg)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var handled []string
	for _, mf := range mfs {
		got, ok := appendScalarFamily([]byte("prefix\n"), mf)
		if !ok {
			continue
		}
		sameAsExpfmt(t, got, mf)
		handled = append(handled, mf.GetName())
	}
	all := strings.Join(handled, " ")
	for _, want := range []string{"aiperf_requests_total", "aiperf_requests_in_flight", "aiperf_exporter_build_info",
		"go_goroutines", "process_cpu_seconds_total", "odd_gauge", "odd_plain_total", "odd_no_help"} {
		if !strings.Contains(all, want) {
			t.Errorf("%s not handled by the fast path; handled: %s", want, all)
		}
	}
	var text []byte
	for _, mf := range mfs {
		text, _ = appendScalarFamily(text, mf)
	}
	for _, want := range []string{`case="neg_zero"} 0.0`, `case="nan"} NaN`, `case="neg_inf"} -Inf`, `case="exponent"} 1e+21`,
		`case="int"} 42.0`, `case="quote\" back\\slash\nnewline"} 3.0`, "odd_plain_total 2.5\n", "# HELP odd_plain No labels.",
		`# HELP odd_gauge Odd \"gauge\"\nwith \\ escapes.`} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the fixture does not exercise %s", want)
		}
	}
}

// What appendScalarFamily does not write goes to expfmt: nothing is appended.
func TestScalarFamilyFallsBack(t *testing.T) {
	family := func(edit func(*dto.MetricFamily)) *dto.MetricFamily {
		mf := &dto.MetricFamily{Name: proto.String("c_total"), Help: proto.String("h"), Type: dto.MetricType_COUNTER.Enum(),
			Metric: []*dto.Metric{{
				Label:   []*dto.LabelPair{{Name: proto.String("a"), Value: proto.String("x")}},
				Counter: &dto.Counter{Value: proto.Float64(1)},
			}}}
		edit(mf)
		return mf
	}
	cases := []struct {
		name string
		mf   *dto.MetricFamily
	}{
		{"counter without _total", family(func(mf *dto.MetricFamily) { mf.Name = proto.String("c") })},
		{"untyped", family(func(mf *dto.MetricFamily) {
			mf.Type = dto.MetricType_UNTYPED.Enum()
			mf.Metric[0].Untyped = &dto.Untyped{Value: proto.Float64(1)}
		})},
		{"summary", family(func(mf *dto.MetricFamily) {
			mf.Type = dto.MetricType_SUMMARY.Enum()
			mf.Metric[0].Summary = &dto.Summary{}
		})},
		{"histogram", family(func(mf *dto.MetricFamily) { mf.Type = dto.MetricType_HISTOGRAM.Enum() })},
		{"unit", family(func(mf *dto.MetricFamily) { mf.Unit = proto.String("seconds") })},
		{"UTF-8 name", family(func(mf *dto.MetricFamily) { mf.Name = proto.String("c.x_total") })},
		{"UTF-8 label name", family(func(mf *dto.MetricFamily) { mf.Metric[0].Label[0].Name = proto.String("a.b") })},
		{"sample timestamp", family(func(mf *dto.MetricFamily) { mf.Metric[0].TimestampMs = proto.Int64(1) })},
		{"exemplar", family(func(mf *dto.MetricFamily) {
			mf.Metric[0].Counter.Exemplar = &dto.Exemplar{Value: proto.Float64(1),
				Label: []*dto.LabelPair{{Name: proto.String("trace_id"), Value: proto.String("t")}}}
		})},
		{"no counter", family(func(mf *dto.MetricFamily) { mf.Metric[0].Counter = nil })},
		{"gauge without gauge", family(func(mf *dto.MetricFamily) { mf.Type = dto.MetricType_GAUGE.Enum() })},
	}
	for _, c := range cases {
		got, ok := appendScalarFamily([]byte("kept"), c.mf)
		if ok || string(got) != "kept" {
			t.Errorf("%s: handled (%v) or appended %q; want a fallback to expfmt", c.name, ok, got)
		}
	}
	if _, ok := appendScalarFamily(nil, family(func(*dto.MetricFamily) {})); !ok {
		t.Error("the unedited family should take the fast path, or the cases above prove nothing")
	}
}
