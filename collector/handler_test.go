package collector

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// probeRegistry holds only the probe metrics (no Go or process metrics, which
// change between two scrapes), with a few records observed.
func probeRegistry(t *testing.T) *prometheus.Registry {
	t.Helper()
	reg := prometheus.NewRegistry()
	c := newVecs(ourFamily)
	reg.MustRegister(c.probeCollectors()...)
	c.precreate(testScenario)
	c.Observe(success("req-1"))
	c.Observe(success("req-2"))
	c.Observe(serverError())
	return reg
}

// fetch GETs url with the given headers, without the transport's transparent
// gzip, and returns the status, headers and body (gunzipped when it was gzip).
func fetch(t *testing.T, url string, header map[string]string) (int, http.Header, []byte) {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Do(testkit.GetRequest(t, url, header))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if body, err = gzip.NewReader(resp.Body); err != nil {
			t.Fatal(err)
		}
	}
	b, err := io.ReadAll(body)
	if err != nil {
		t.Fatal(err)
	}
	client.CloseIdleConnections()
	return resp.StatusCode, resp.Header, b
}

const acceptOM = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"

// Handler serves what promhttp serves, format by format, only cheaper.
func TestHandlerMatchesPromhttp(t *testing.T) {
	reg := probeRegistry(t)
	ours := httptest.NewServer(Handler(reg))
	defer ours.Close()
	ref := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true}))
	defer ref.Close()

	cases := []struct {
		name, path, accept, encoding string
		gzipped                      bool
	}{
		{"OpenMetrics 1.0, gzip (Prometheus)", "/metrics", acceptOM, "gzip", true},
		{"OpenMetrics 1.0, identity", "/metrics", acceptOM, "", false},
		{"OpenMetrics 0.0.1", "/metrics", "application/openmetrics-text;version=0.0.1", "gzip;q=1.0, identity;q=0.5", true},
		{"gzip refused", "/metrics", acceptOM, "gzip;q=0", false},
		{"text 0.0.4", "/metrics", "text/plain;version=0.0.4", "gzip", true},
		{"no Accept", "/metrics", "", "", false},
		{"protobuf", "/metrics", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", "gzip", true},
		{"name[] filter", "/metrics?name[]=aiperf_requests_total", acceptOM, "gzip", true},
	}
	for _, c := range cases {
		h := map[string]string{"Accept": c.accept, "Accept-Encoding": c.encoding}
		code, hdr, got := fetch(t, ours.URL+c.path, h)
		refCode, refHdr, want := fetch(t, ref.URL+c.path, map[string]string{"Accept": c.accept})
		if code != 200 || refCode != 200 {
			t.Fatalf("%s: status %d, reference %d", c.name, code, refCode)
		}
		if gz := hdr.Get("Content-Encoding") == "gzip"; gz != c.gzipped {
			t.Errorf("%s: gzipped %v, want %v", c.name, gz, c.gzipped)
		}
		if hdr.Get("Content-Type") != refHdr.Get("Content-Type") {
			t.Errorf("%s: Content-Type %q, promhttp %q", c.name, hdr.Get("Content-Type"), refHdr.Get("Content-Type"))
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: body differs from promhttp's at\n%s\nwant\n%s", c.name, firstDiff(string(got), string(want)), firstDiff(string(want), string(got)))
		}
		if vary := strings.Join(hdr.Values("Vary"), ","); !strings.Contains(vary, "Accept-Encoding") || !strings.Contains(vary, "Accept") {
			t.Errorf("%s: Vary %q", c.name, vary)
		}
	}
	_, _, om := fetch(t, ours.URL+"/metrics", map[string]string{"Accept": acceptOM, "Accept-Encoding": "gzip"})
	if !strings.Contains(string(om), `# {request_id="req-2"}`) || !strings.HasSuffix(string(om), "# EOF\n") {
		t.Errorf("OpenMetrics without exemplars or EOF:\n%s", om)
	}
}

type failing struct{ desc *prometheus.Desc }

func (f failing) Describe(ch chan<- *prometheus.Desc) { ch <- f.desc }
func (f failing) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.NewInvalidMetric(f.desc, errors.New("sensor unplugged"))
}

// A failed gather is a plain-text 500, never gzipped, counted as promhttp counts it.
func TestHandlerGatherError(t *testing.T) {
	reg := probeRegistry(t)
	reg.MustRegister(failing{prometheus.NewDesc("broken_metric", "Fails.", nil, nil)})
	srv := httptest.NewServer(Handler(reg))
	defer srv.Close()
	for _, accept := range []string{acceptOM, "text/plain"} {
		code, hdr, body := fetch(t, srv.URL+"/metrics", map[string]string{"Accept": accept, "Accept-Encoding": "gzip"})
		if code != http.StatusInternalServerError || hdr.Get("Content-Encoding") != "" || !strings.Contains(string(body), "sensor unplugged") {
			t.Errorf("Accept %s: %d %q %q, want a plain 500 naming the error", accept, code, hdr.Get("Content-Encoding"), body)
		}
	}
	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		if mf.GetName() != "promhttp_metric_handler_errors_total" {
			continue
		}
		for _, m := range mf.Metric {
			if m.Label[0].GetValue() == "gathering" && m.Counter.GetValue() != 2 {
				t.Errorf("gathering errors counted %v, want 2 (one per path)", m.Counter.GetValue())
			}
		}
		return
	}
	t.Error("promhttp_metric_handler_errors_total not registered")
}

func TestAcceptsGzip(t *testing.T) {
	cases := []struct {
		header string
		want   bool
	}{
		{"gzip", true},
		{"", false},
		{"identity", false},
		{"deflate, gzip", true},
		{"GZIP;q=0.5", true},
		{"gzip;q=0", false},
		{"gzip; q=0.0, identity", false},
		{"gzip;q=bad", false},
		{"x-gzip", false},
		{"zstd,gzip;level=1", true},
	}
	for _, c := range cases {
		if got := acceptsGzip(c.header); got != c.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", c.header, got, c.want)
		}
	}
}
