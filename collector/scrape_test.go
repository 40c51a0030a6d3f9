package collector

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors/version"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"
)

// omExpfmt is what expfmt writes in OpenMetrics 1.0 for everything reg gathers.
func omExpfmt(t *testing.T, reg prometheus.Gatherer) []byte {
	t.Helper()
	return expfmtOf(t, reg, expfmt.TypeOpenMetrics)
}

// expfmtOf is what expfmt writes in format typ for everything reg gathers.
func expfmtOf(t *testing.T, reg prometheus.Gatherer, typ expfmt.FormatType) []byte {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(typ))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.(expfmt.Closer).Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// scenarios3 are three scenarios, one with label values that need escaping.
var scenarios3 = []Scenario{
	testScenario,
	{Name: "long", Models: []string{"omni", "big"}, Targets: []string{"gpu0", "gpu1"}, Concurrency: 8, RequestRate: 2.5},
	{Name: "quote\" back\\slash\nnewline", Models: []string{"omni"}, Targets: []string{"gpu0"}, Concurrency: 1},
}

// observeAll feeds every label set of scenarios, with request ids as exemplars,
// plus a request slow enough to put its exemplar on +Inf.
func observeAll(c *Collector, scenarios []Scenario) {
	for _, s := range scenarios {
		for _, m := range s.Models {
			for _, tg := range s.Targets {
				for k := range 20 {
					r := benchRecord(s.Name, k)
					r.Model, r.Target = m, tg
					c.Observe(r)
				}
				e := serverError()
				e.Scenario, e.Model, e.Target = s.Name, m, tg
				c.Observe(e)
			}
		}
	}
	slow := success("req-slow")
	for i := range slow.Responses {
		slow.Responses[i].Offset += 3000 * time.Second
	}
	slow.EndOffset += 3000 * time.Second
	c.Observe(slow)
}

// extras registers on reg what someone else might: a counter, a
// client_golang histogram with an exemplar, a gauge whose name sorts between
// the collector's histograms, and an unlabelled native-only histogram.
func extras(reg prometheus.Registerer) {
	cnt := prometheus.NewCounter(prometheus.CounterOpts{Name: "aiperf_zz_extra_total", Help: "Someone else's counter."})
	cnt.Add(3)
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "aiperf_request_extra_seconds", Help: "Someone else's histogram.",
		Buckets: []float64{0.1, 1}}, []string{"k"})
	h.WithLabelValues("a").(prometheus.ExemplarObserver).ObserveWithExemplar(0.5, prometheus.Labels{"trace_id": "t1"})
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "aiperf_request_latency_seconds_max", Help: "Between two of ours."})
	g.Set(1.5)
	n := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "extra_native", Help: "Native only.", NativeHistogramBucketFactor: 1.1})
	n.Observe(0.3)
	reg.MustRegister(cnt, h, g, n)
}

// The fast path serves, byte for byte, what expfmt writes for reg.Gather():
// several scenarios, escaped label values, exemplars (one on +Inf), and
// families other code registered on reg after the collector.
func TestFastScrapeMatchesExpfmt(t *testing.T) {
	t.Run("probe metrics and extras", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		c := newVecs(ourFamily)
		reg.MustRegister(append(c.probeCollectors(), version.NewCollector(Program))...)
		for _, s := range scenarios3 {
			c.precreate(s)
		}
		observeAll(c, scenarios3)
		extras(reg)
		h := Handler(reg) // registers promhttp_metric_handler_errors_total: part of both bodies
		got := serveOM(t, h)
		want := omExpfmt(t, reg)
		if !bytes.Equal(got, want) {
			t.Fatalf("body differs from expfmt's at\n%s\nwant\n%s", firstDiff(string(got), string(want)), firstDiff(string(want), string(got)))
		}
		for _, s := range []string{`# {request_id="req-slow"} 3000.1`, `# {request_id="short-`, `aiperf_zz_extra_total 3.0`,
			`# {trace_id="t1"} 0.5`, `quote\" back\\slash\nnewline`, "aiperf_request_latency_seconds_max 1.5"} {
			if !bytes.Contains(got, []byte(s)) {
				t.Errorf("the fixture does not exercise %s", s)
			}
		}
	})
	t.Run("New, Go and process metrics masked", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		c, err := New(reg, scenarios3)
		if err != nil {
			t.Fatal(err)
		}
		observeAll(c, scenarios3)
		extras(reg)
		h := Handler(reg)
		got, want := maskRuntime(serveOM(t, h)), maskRuntime(omExpfmt(t, reg))
		if got != want {
			t.Fatalf("body differs from expfmt's at\n%s\nwant\n%s", firstDiff(got, want), firstDiff(want, got))
		}
	})
}

// serveOM GETs h in process with Prometheus's Accept header and no gzip.
func serveOM(t *testing.T, h http.Handler) []byte {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept", acceptOM)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	return rec.Body.Bytes()
}

// maskRuntime drops the values of go_ and process_ samples, which change from
// one gather to the next.
func maskRuntime(b []byte) string {
	lines := strings.Split(string(b), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "go_") || strings.HasPrefix(l, "process_") {
			lines[i] = l[:strings.LastIndexByte(l, ' ')]
		}
	}
	return strings.Join(lines, "\n")
}

// Families the text writer leaves to expfmt (a name or label name that needs
// quoting, which expfmt escapes as Prometheus asks by default, an exemplar
// label name that needs quoting) and an exemplar without labels come out as
// expfmt writes them.
func TestFastScrapeNonPlainHistograms(t *testing.T) {
	reg := probeRegistry(t)
	dotted := newHistVec(prometheus.HistogramOpts{Name: "dotted.name_seconds", Help: "Quoted name.", Buckets: []float64{1}, NativeHistogramBucketFactor: 1.1}, nil)
	dotted.WithLabelValues().Observe(0.5)
	label := newHistVec(prometheus.HistogramOpts{Name: "dotted_label_seconds", Help: "Quoted label.", Buckets: []float64{1}, NativeHistogramBucketFactor: 1.1}, []string{"a.b"})
	label.WithLabelValues("x").Observe(0.5)
	ex := newHistVec(prometheus.HistogramOpts{Name: "exemplar_seconds", Help: "Odd exemplars.", Buckets: []float64{1, 2}, NativeHistogramBucketFactor: 1.1}, []string{"k"})
	ex.WithLabelValues("dotted").(prometheus.ExemplarObserver).ObserveWithExemplar(0.5, prometheus.Labels{"trace.id": "t"})
	ex.WithLabelValues("plain").(prometheus.ExemplarObserver).ObserveWithExemplar(1.5, prometheus.Labels{"trace_id": "t"})
	bare := newHistVec(prometheus.HistogramOpts{Name: "bare_exemplar_seconds", Help: "No exemplar labels.", Buckets: []float64{1}, NativeHistogramBucketFactor: 1.1}, nil)
	bare.WithLabelValues().(prometheus.ExemplarObserver).ObserveWithExemplar(0.5, prometheus.Labels{})
	reg.MustRegister(dotted, label, ex, bare)

	h := Handler(reg)
	got, want := serveOM(t, h), omExpfmt(t, reg)
	if !bytes.Equal(got, want) {
		t.Fatalf("body differs from expfmt's at\n%s\nwant\n%s", firstDiff(string(got), string(want)), firstDiff(string(want), string(got)))
	}
	for _, s := range []string{`dotted_name_seconds_bucket{le="1.0"} 1`, `{a_b="x",le="1.0"}`, `# {"trace.id"="t"} 0.5`, `bare_exemplar_seconds_bucket{le="1.0"} 1` + "\n"} {
		if !bytes.Contains(got, []byte(s)) {
			t.Errorf("the fixture does not exercise %s", s)
		}
	}
	g, err := gatherFast(reg)
	if err != nil {
		t.Fatal(err)
	}
	defer g.release()
	plain := map[string]bool{}
	for _, f := range g.hists {
		plain[f.cfg.name] = f.plain()
	}
	if !plain["aiperf_time_to_first_token_seconds"] || plain["dotted.name_seconds"] || plain["dotted_label_seconds"] || plain["exemplar_seconds"] {
		t.Errorf("families written as text: %v; want the collector's only", plain)
	}
}

// rogue is an unchecked collector that collects something else again.
type rogue struct {
	collect func(chan<- prometheus.Metric)
}

func (rogue) Describe(chan<- *prometheus.Desc)      {}
func (r rogue) Collect(ch chan<- prometheus.Metric) { r.collect(ch) }

// When diverting the hist series would skip one of reg.Gather's errors, the
// scrape is reg.Gather's: same status, same body as promhttp's.
func TestFastScrapeErrorsAsGather(t *testing.T) {
	cases := []struct {
		name     string
		add      func(reg *prometheus.Registry, v *histVec)
		anyOrder bool
	}{
		{"series collected twice", func(reg *prometheus.Registry, v *histVec) {
			reg.MustRegister(rogue{v.Collect})
		}, false},
		{"suffix collision", func(reg *prometheus.Registry, _ *histVec) {
			g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "clash_seconds_count", Help: "Collides."})
			reg.MustRegister(g)
		}, true},
		{"same name, other type", func(reg *prometheus.Registry, _ *histVec) {
			d := prometheus.NewDesc("clash_seconds", "Same name.", nil, nil)
			reg.MustRegister(rogue{func(ch chan<- prometheus.Metric) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, 1) }})
		}, true},
		{"no clash", func(*prometheus.Registry, *histVec) {}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			reg := prometheus.NewRegistry()
			v := newHistVec(prometheus.HistogramOpts{Name: "clash_seconds", Help: "Ours.", Buckets: []float64{1}, NativeHistogramBucketFactor: 1.1}, []string{"k"})
			v.WithLabelValues("a").Observe(0.5)
			reg.MustRegister(v)
			c.add(reg, v)
			_, gatherErr := reg.Gather()

			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
			req.Header.Set("Accept", acceptOM)
			Handler(reg).ServeHTTP(rec, req)
			ref := httptest.NewRecorder()
			promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true}).ServeHTTP(ref, req)
			// Which of two clashing metrics is reported first depends on the
			// order of collection, from one reg.Gather to the next.
			sameBody := rec.Body.String() == ref.Body.String() || c.anyOrder && strings.Contains(rec.Body.String(), "clash_seconds")
			if rec.Code != ref.Code || !sameBody {
				t.Errorf("served %d %q, promhttp %d %q", rec.Code, rec.Body, ref.Code, ref.Body)
			}
			if (gatherErr != nil) != (rec.Code != http.StatusOK) {
				t.Errorf("status %d, reg.Gather error %v", rec.Code, gatherErr)
			}
		})
	}
}

// A collector that panics makes a 500, as with promhttp, and the process lives on.
func TestFastScrapeCollectorPanic(t *testing.T) {
	reg := probeRegistry(t)
	reg.MustRegister(rogue{func(chan<- prometheus.Metric) { panic("sensor on fire") }})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept", acceptOM)
	Handler(reg).ServeHTTP(rec, req)
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), "sensor on fire") {
		t.Errorf("%d %q, want a 500 naming the panic", rec.Code, rec.Body)
	}
}

// Scrapes over loopback, observations and someone else's reg.Gather at the
// same time: no race (go test -race), every scrape whole, and the other
// gather always sees the histograms the scrapes write as text.
func TestFastScrapeConcurrent(t *testing.T) {
	reg := prometheus.NewRegistry()
	c, err := New(reg, scenarios3)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(reg))
	defer srv.Close()
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for k := 0; ; k++ {
			select {
			case <-stop:
				return
			default:
			}
			r := benchRecord(scenarios3[k%len(scenarios3)].Name, k)
			r.Model, r.Target = "omni", "gpu0"
			c.Observe(r)
		}
	})
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			if n := testutil.CollectAndCount(reg, "aiperf_time_to_first_token_seconds"); n != 6 {
				t.Errorf("another gather found %d TTFT series, want 6", n)
				return
			}
		}
	})
	var scrapers sync.WaitGroup
	for i := range 3 {
		scrapers.Go(func() {
			for range 15 {
				code, _, body := fetch(t, srv.URL, map[string]string{"Accept": acceptOM, "Accept-Encoding": "gzip"})
				if code != http.StatusOK || !bytes.HasSuffix(body, []byte("# EOF\n")) ||
					!bytes.Contains(body, []byte(`aiperf_time_to_first_token_seconds_bucket{model_name="omni",scenario="long",target="gpu1",le="0.001"}`)) {
					t.Errorf("scraper %d: status %d, body of %d bytes not whole", i, code, len(body))
					return
				}
			}
		})
	}
	scrapers.Wait()
	close(stop)
	wg.Wait()
}

// The series text of a hist is what appendHistogramFamily writes for the metric
// its Write fills, whatever its state: empty, NaN and infinite sums, an
// exemplar on +Inf, cumulative counts that skip buckets.
func TestHistTextMatchesWrite(t *testing.T) {
	opts := prometheus.HistogramOpts{Name: "t_seconds", Help: "Help with \"quotes\"\nand \\.", Buckets: []float64{-1, 0, 0.25, 1, 1e21},
		NativeHistogramBucketFactor: 1.1}
	cases := map[string][]float64{"empty": nil, "one": {0.1}, "spread": {-5, 0, 0.3, 0.3, 7, 2e21}, "nan": {0.5, math.NaN()},
		"inf": {math.Inf(+1)}, "neg_inf": {math.Inf(-1)}}
	for name, vs := range cases {
		v := newHistVec(opts, []string{"case"})
		o := v.WithLabelValues(name)
		for i, x := range vs {
			o.(prometheus.ExemplarObserver).ObserveWithExemplar(x, prometheus.Labels{"request_id": fmt.Sprint("r", i)})
		}
		f := histFamily{cfg: v.cfg}
		var text []byte
		var snap histSnapshot
		for _, h := range v.series {
			start := len(text)
			var plain bool
			text, plain = h.appendOpenMetrics(text, &snap)
			if !plain {
				t.Fatalf("%s: not plain", name)
			}
			f.series = append(f.series, histText{h: h, start: start, end: len(text), plain: true})
		}
		mf, err := f.metricFamily()
		if err != nil {
			t.Fatal(err)
		}
		want, ok := appendHistogramFamily(nil, mf)
		if !ok {
			t.Fatalf("%s: appendHistogramFamily does not handle it", name)
		}
		got := append(v.cfg.appendOpenMetricsHeader(nil), text...)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: text differs at\n%s\nwant\n%s", name, firstDiff(string(got), string(want)), firstDiff(string(want), string(got)))
		}
	}
}
