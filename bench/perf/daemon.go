//go:build linux

package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/aiperf-exporter/aiperf-exporter/collector"
	"github.com/aiperf-exporter/aiperf-exporter/daemon"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// ScrapeResult is how long GET /metrics takes over loopback.
type ScrapeResult struct {
	Scenarios int     `json:"scenarios"`
	Scrapes   int     `json:"scrapes"`
	Bytes     int     `json:"bytes"`
	P50ms     float64 `json:"p50_ms"`
	P99ms     float64 `json:"p99_ms"`
	BareP50ms float64 `json:"bare_p50_ms"` // a registry with only the Go and process collectors
	BareP99ms float64 `json:"bare_p99_ms"`
	// The same scrape without gzip and in protobuf, to show where the time goes.
	NoGzipP99ms float64 `json:"no_gzip_p99_ms"`
	ProtoP99ms  float64 `json:"protobuf_gzip_p99_ms"`
	// RoundsP99 is P99ms of every round (perf all); this result is the median one.
	RoundsP99 []float64 `json:"rounds_p99_ms,omitempty"`
}

// Accept headers: what Prometheus sends without and with native histograms.
const (
	acceptOpenMetrics = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"
	acceptProtobuf    = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6," + acceptOpenMetrics
)

// measureScrape builds the daemon's /metrics handler over a collector with
// `scenarios` scenarios, observes records into every label set (so every
// histogram has buckets, native spans and exemplars), and times scrapes with
// an OpenMetrics Accept header, as Prometheus sends it.
func measureScrape(scenarios, scrapes int) (*ScrapeResult, error) {
	reg := prometheus.NewRegistry()
	var sc []collector.Scenario
	for i := range scenarios {
		sc = append(sc, collector.Scenario{Name: fmt.Sprintf("scenario-%d", i), Models: []string{"mock-model"},
			Targets: []string{"mock"}, Concurrency: 8})
	}
	col, err := collector.New(reg, sc)
	if err != nil {
		return nil, err
	}
	for _, s := range sc {
		for k := range 500 {
			col.Observe(benchRecord(s.Name, k))
		}
	}
	res := &ScrapeResult{Scenarios: scenarios, Scrapes: scrapes}
	srv := httptest.NewServer(daemon.NewHandler(reg, nil, func() bool { return true }))
	defer srv.Close()
	p50, p99, n, err := timeScrapes(srv.URL+"/metrics", scrapes, acceptOpenMetrics, true)
	if err != nil {
		return nil, err
	}
	res.P50ms, res.P99ms, res.Bytes = p50, p99, n
	if _, res.NoGzipP99ms, _, err = timeScrapes(srv.URL+"/metrics", scrapes, acceptOpenMetrics, false); err != nil {
		return nil, err
	}
	if _, res.ProtoP99ms, _, err = timeScrapes(srv.URL+"/metrics", scrapes, acceptProtobuf, true); err != nil {
		return nil, err
	}

	bareReg := prometheus.NewRegistry()
	bareReg.MustRegister(prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	bare := httptest.NewServer(daemon.NewHandler(bareReg, nil, func() bool { return true }))
	defer bare.Close()
	res.BareP50ms, res.BareP99ms, _, err = timeScrapes(bare.URL+"/metrics", scrapes, acceptOpenMetrics, true)
	return res, err
}

// scrapesPerRound is how many scrapes one round times: enough for a p99 that
// is not just the worst few.
const scrapesPerRound = 1000

// scrapesOf is how many scrapes s timed (100 before scrapesPerRound was set).
func scrapesOf(s *ScrapeResult) int {
	if s == nil || s.Scrapes == 0 {
		return scrapesPerRound
	}
	return s.Scrapes
}

// benchRecord is a plausible successful streamed record.
func benchRecord(scenario string, k int) *record.Record {
	r := &record.Record{
		RequestID: fmt.Sprintf("%s-%d", scenario, k), Scenario: scenario, Model: "mock-model", Target: "mock",
		Streaming: true, StartNs: time.Now().UnixNano(), InputTokens: 100 + k%50, OutputTokens: 32,
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

// timeScrapes GETs url n times (after 3 to warm up) with Prometheus's Accept
// header and, with gzip, its Accept-Encoding (the body is then read
// compressed, as Prometheus receives it; size is the uncompressed-or-not bytes).
func timeScrapes(url string, n int, accept string, gzip bool) (p50, p99 float64, size int, err error) {
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableCompression: true}}
	var took []time.Duration
	for range n + 3 {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Accept", accept)
		if gzip {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, 0, 0, fmt.Errorf("scrape: %w", err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return 0, 0, 0, fmt.Errorf("scrape: %s %v", resp.Status, err)
		}
		took = append(took, time.Since(start))
		size = len(b)
	}
	took = sortedDurations(took[3:]) // the first scrapes warm the connection
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return ms(quantile(took, 0.5)), ms(quantile(took, 0.99)), size, nil
}
