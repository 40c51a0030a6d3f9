package collector

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// formerPhaseBuckets is the phase layout before it was made coarser: TTFT's 29
// edges plus four sub-millisecond ones.
var formerPhaseBuckets = merge(TTFTBuckets, []float64{0.0001, 0.00025, 0.0005, 0.0025})

// benchRecord is a plausible successful streamed record, as bench/perf's scrape uses.
func benchRecord(scenario string, k int) *record.Record {
	r := &record.Record{
		RequestID: fmt.Sprintf("%s-%d", scenario, k), Scenario: scenario, Model: "mock-model", Target: "mock",
		Streaming: true, StartNs: t0, InputTokens: 100 + k%50, OutputTokens: 32,
		AudioSeconds: 1 + float64(k%5), HTTPStatus: 200,
		HTTPPhases: &record.HTTPPhases{RequestWritten: 50 * time.Microsecond, FirstByte: time.Duration(20+k%30) * time.Millisecond, ConnReused: k > 0},
	}
	r.IntendedStartNs = r.StartNs - int64(k%100)*int64(time.Microsecond)
	for i := range 32 {
		r.Responses = append(r.Responses, record.Response{Offset: time.Duration(20+k%30)*time.Millisecond + time.Duration(i)*5*time.Millisecond, Kind: record.Content})
	}
	r.EndOffset = r.Responses[31].Offset + time.Millisecond
	return r
}

// benchRegistry is a collector with n scenarios and 500 records observed in each,
// with the phase histogram's edges set to phases and the histograms family makes.
func benchRegistry(tb testing.TB, n int, phases []float64, family newFamily) *prometheus.Registry {
	tb.Helper()
	defer func(old []float64) { PhaseBuckets = old }(PhaseBuckets)
	PhaseBuckets = phases
	reg := prometheus.NewRegistry()
	var sc []Scenario
	for i := range n {
		sc = append(sc, Scenario{Name: fmt.Sprintf("scenario-%d", i), Models: []string{"mock-model"}, Targets: []string{"mock"}, Concurrency: 8})
	}
	c, err := newCollector(reg, sc, family)
	if err != nil {
		tb.Fatal(err)
	}
	for _, s := range sc {
		for k := range 500 {
			c.Observe(benchRecord(s.Name, k))
		}
	}
	return reg
}

// scrapeRequest is what Prometheus sends: OpenMetrics preferred, gzip accepted.
func scrapeRequest() *http.Request {
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.Header.Set("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
	req.Header.Set("Accept-Encoding", "gzip")
	return req
}

// discardResponse is a ResponseWriter that keeps nothing, so the benchmark
// times the handler and not a growing buffer.
type discardResponse struct{ h http.Header }

func (d *discardResponse) Header() http.Header         { return d.h }
func (d *discardResponse) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardResponse) WriteHeader(int)             {}

// gatherAllHandler is Handler as it was before gatherFast: every family,
// histograms included, gathered by reg.Gather, then written by the fast writers.
func gatherAllHandler(reg *prometheus.Registry) http.Handler {
	h := Handler(reg).(*handler)
	h.gather = gatherAll
	return h
}

// BenchmarkScrape times one scrape of 10 scenarios in process, network left
// out. before=promhttp: promhttp.HandlerFor (default-level gzip, expfmt) over
// client_golang histograms and the former phase layout; before=client_golang:
// Handler over client_golang histograms; before=Gather: histVec gathered by
// reg.Gather (gatherAllHandler); after=Handler: Handler over histVec, what New
// registers, the hist series written straight from their state. The steps
// show where the time goes.
func BenchmarkScrape(b *testing.B) {
	serve := func(h http.Handler) func(b *testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				h.ServeHTTP(&discardResponse{h: http.Header{}}, scrapeRequest())
			}
		}
	}
	gather := func(reg prometheus.Gatherer) func(b *testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				if _, err := reg.Gather(); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	promhttpReg := benchRegistry(b, 10, formerPhaseBuckets, clientGolangFamily)
	b.Run("before=promhttp", serve(promhttp.HandlerFor(promhttpReg, promhttp.HandlerOpts{EnableOpenMetrics: true, Registry: promhttpReg})))
	before := benchRegistry(b, 10, PhaseBuckets, clientGolangFamily)
	b.Run("before=client_golang", serve(Handler(before)))
	after := benchRegistry(b, 10, PhaseBuckets, ourFamily)
	b.Run("before=Gather", serve(gatherAllHandler(after)))
	b.Run("after=Handler", serve(Handler(after)))

	b.Run("step=gather-client_golang", gather(before))
	b.Run("step=gather", gather(after))
	b.Run("step=gather-fast", func(b *testing.B) {
		for b.Loop() {
			g, err := gatherFast(after)
			if err != nil {
				b.Fatal(err)
			}
			g.release()
		}
	})
	mfs, err := after.Gather()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("step=encode-expfmt", func(b *testing.B) {
		for b.Loop() {
			enc := expfmt.NewEncoder(io.Discard, expfmt.NewFormat(expfmt.TypeOpenMetrics))
			for _, mf := range mfs {
				if err := enc.Encode(mf); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("step=encode-fast", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			for _, mf := range mfs {
				buf, _ = appendHistogramFamily(buf[:0], mf)
			}
		}
	})
}

// BenchmarkObserve times Observe of one successful streamed record (about ten
// histogram observations, five with an exemplar), with client_golang's
// histograms (before) and histVec (after).
func BenchmarkObserve(b *testing.B) {
	for _, f := range []struct {
		name   string
		family newFamily
	}{{"before=client_golang", clientGolangFamily}, {"after=histVec", ourFamily}} {
		b.Run(f.name, func(b *testing.B) {
			c, err := newCollector(prometheus.NewRegistry(), []Scenario{{Name: "s", Models: []string{"mock-model"}, Targets: []string{"mock"}}}, f.family)
			if err != nil {
				b.Fatal(err)
			}
			records := make([]*record.Record, 100)
			for k := range records {
				records[k] = benchRecord("s", k)
			}
			k := 0
			for b.Loop() {
				c.Observe(records[k%len(records)])
				k++
			}
		})
	}
}

// BenchmarkScrapeLatency serves 10 scenarios in process with client_golang's
// histograms (classic + native, the same buckets) through promhttp as it is
// (OpenMetrics, its own gzip), before=Gather (gatherAllHandler) and
// after=Handler in turn, scrape after scrape, so that the load of a shared
// machine and the garbage collections hit all alike, and reports the median
// and 99th percentile of each.
func BenchmarkScrapeLatency(b *testing.B) {
	reg := benchRegistry(b, 10, PhaseBuckets, ourFamily)
	cg := benchRegistry(b, 10, PhaseBuckets, clientGolangFamily)
	variants := []struct {
		name string
		h    http.Handler
	}{
		{"client_golang+promhttp", promhttp.HandlerFor(cg, promhttp.HandlerOpts{EnableOpenMetrics: true, Registry: cg})},
		{"before=Gather", gatherAllHandler(reg)},
		{"after=Handler", Handler(reg)},
	}
	took := make([][]time.Duration, len(variants))
	cpu := make([][]time.Duration, len(variants))
	for b.Loop() {
		for i, v := range variants {
			start, startCPU := time.Now(), processCPU(b)
			v.h.ServeHTTP(&discardResponse{h: http.Header{}}, scrapeRequest())
			took[i] = append(took[i], time.Since(start))
			cpu[i] = append(cpu[i], processCPU(b)-startCPU)
		}
	}
	report := func(d []time.Duration, unit string) {
		slices.Sort(d)
		n := len(d)
		b.ReportMetric(float64(d[n/2])/1e6, "p50-"+unit)
		b.ReportMetric(float64(d[n*99/100])/1e6, "p99-"+unit)
	}
	for i, v := range variants {
		report(took[i], "ms/"+v.name)
		// CPU time of the process during the scrape (garbage collection
		// included): what the scrape costs whatever else the machine runs.
		report(cpu[i], "cpu-ms/"+v.name)
	}
}

// processCPU is the user + system CPU time the process has used.
func processCPU(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
