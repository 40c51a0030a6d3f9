package collector

import (
	"bufio"
	"errors"
	"io"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

// Handler serves reg's metrics as promhttp.HandlerFor with EnableOpenMetrics
// (so exemplars are served) would, and counts its errors in the same
// promhttp_metric_handler_errors_total on reg. What makes a scrape of many
// scenarios several times cheaper than promhttp (BenchmarkScrape):
//   - the histograms are histVec; for OpenMetrics 1.0 their series are
//     written as text straight from their state while the other collectors
//     are collected, never built as metrics nor checked by the registry
//     (gatherFast: byte for byte what expfmt writes for reg.Gather(),
//     TestFastScrapeMatchesExpfmt); for the other formats histVec's Write
//     fills a metric from a few slabs where client_golang's allocates three
//     times per classic bucket;
//   - the other OpenMetrics 1.0 histogram, counter and gauge families are
//     written by appendFamily, byte for byte what expfmt writes
//     (TestHistogramFamilyMatchesExpfmt, TestScalarFamilyMatchesExpfmt);
//     other families, the other formats and `name[]` filters go through expfmt
//     and promhttp unchanged;
//   - gzip is klauspost/compress's at BestSpeed instead of the standard
//     library's at the default level: about a tenth of the CPU for a body about
//     10% larger (24 instead of 21 KiB for 10 scenarios);
//   - the gzip writer (800 KB, half a millisecond to build) and the buffers
//     stay between scrapes, garbage collections included (freeList).
func Handler(reg *prometheus.Registry) http.Handler {
	errCnt := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "promhttp_metric_handler_errors_total",
		Help: "Total number of internal errors encountered by the promhttp metric handler.",
	}, []string{"cause"})
	if err := reg.Register(errCnt); err != nil {
		if are, ok := errors.AsType[prometheus.AlreadyRegisteredError](err); ok {
			errCnt = are.ExistingCollector.(*prometheus.CounterVec)
		}
	}
	return &handler{
		reg:    reg,
		gather: gatherFast,
		errCnt: errCnt,
		// promhttp finds errCnt registered and counts into it too.
		fallback: promhttp.HandlerFor(reg, promhttp.HandlerOpts{
			EnableOpenMetrics:  true,
			DisableCompression: true, // compressed by ServeHTTP
			Registry:           reg,
		}),
	}
}

type handler struct {
	reg      *prometheus.Registry
	gather   func(*prometheus.Registry) (*gathered, error) // gatherFast; gatherAll in benchmarks
	errCnt   *prometheus.CounterVec
	fallback http.Handler
}

// scrapesAtOnce is how many concurrent scrapes find their buffers and gzip
// writer ready; more are served with fresh ones.
const scrapesAtOnce = 2

// Buffers a scrape needs, kept between scrapes so scrapes leave little garbage.
var (
	bufPool   = newFreeList(scrapesAtOnce, func() *[]byte { return new([]byte) })
	bufioPool = newFreeList(scrapesAtOnce, func() *bufio.Writer { return bufio.NewWriterSize(nil, 32<<10) })
)

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept-Encoding")
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		gw := &gzipResponse{ResponseWriter: w}
		defer gw.close()
		w = gw
	}
	format := expfmt.NegotiateAccept(r.Header, expfmt.DefaultOpenMetricsAcceptedFormats()...)
	if format.FormatType() != expfmt.TypeOpenMetrics || !fastVersion(format.Version()) || r.URL.Query().Has("name[]") {
		h.fallback.ServeHTTP(w, r)
		return
	}
	g, err := h.gather(h.reg)
	defer g.release()
	if err != nil {
		// As promhttp's default HTTPErrorOnError: count and reply 500.
		h.errCnt.WithLabelValues("gathering").Inc()
		http.Error(w, "An error has occurred while serving metrics:\n\n"+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Add("Vary", "Accept")
	w.Header().Set("Content-Type", string(format))
	bw := bufioPool.get()
	bw.Reset(w)
	defer func() { bw.Reset(nil); bufioPool.put(bw) }()
	if err = writeGathered(bw, expfmt.NewEncoder(bw, format), g); err == nil {
		err = bw.Flush()
	}
	if err != nil {
		// Headers are out: as promhttp, count and stop sending.
		h.errCnt.WithLabelValues("encoding").Inc()
	}
}

// writeGathered writes the families of g in name order, each by the fast
// writers when they handle it, else by enc, then the final "# EOF".
func writeGathered(w io.Writer, enc expfmt.Encoder, g *gathered) error {
	bp := bufPool.get()
	defer bufPool.put(bp)
	mfs, hists := g.mfs, g.hists
	for len(mfs) > 0 || len(hists) > 0 {
		var mf *dto.MetricFamily
		if len(hists) > 0 && (len(mfs) == 0 || hists[0].cfg.name < mfs[0].GetName()) {
			f := &hists[0]
			hists = hists[1:]
			if f.plain() {
				if err := writeHistFamily(w, f, *g.text, bp); err != nil {
					return err
				}
				continue
			}
			var err error
			if mf, err = f.metricFamily(); err != nil {
				return err
			}
		} else {
			mf, mfs = mfs[0], mfs[1:]
		}
		var ok bool
		var err error
		if *bp, ok = appendFamily((*bp)[:0], mf); ok {
			_, err = w.Write(*bp)
		} else {
			err = enc.Encode(mf)
		}
		if err != nil {
			return err
		}
	}
	return enc.(expfmt.Closer).Close()
}

// writeHistFamily writes the header of f and the lines of its series, bp
// being scratch space.
func writeHistFamily(w io.Writer, f *histFamily, text []byte, bp *[]byte) error {
	*bp = f.cfg.appendOpenMetricsHeader((*bp)[:0])
	if _, err := w.Write(*bp); err != nil {
		return err
	}
	for _, t := range f.series {
		if _, err := w.Write(text[t.start:t.end]); err != nil {
			return err
		}
	}
	return nil
}

// fastVersion reports whether an OpenMetrics version is one expfmt writes with
// MetricFamilyToOpenMetrics, the writer appendHistogramFamily matches.
func fastVersion(v string) bool {
	return v == expfmt.OpenMetricsVersion_1_0_0 || v == expfmt.OpenMetricsVersion_0_0_1
}
