package report

import (
	"encoding/json"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/servermetrics"
)

func serverFixture() *servermetrics.Result {
	t0 := time.Unix(1_700_000_000, 0)
	inf := math.Inf(1)
	buckets := []servermetrics.Bucket{{Le: 0.02, Count: 1}, {Le: 0.04, Count: 3}, {Le: inf, Count: 4}}
	est := func() []float64 {
		var out []float64
		for _, p := range servermetrics.Percentiles {
			out = append(out, servermetrics.Quantile(float64(p)/100, buckets))
		}
		return out
	}
	nan := math.NaN()
	return &servermetrics.Result{
		Start: t0, End: t0.Add(10 * time.Second),
		Endpoints: []servermetrics.Endpoint{
			{URL: "http://127.0.0.1:8000/metrics", Kind: "server", Fetches: 11, Failures: 1, LastError: "HTTP 502",
				First: t0, Last: t0.Add(10 * time.Second), AvgLatency: 2 * time.Millisecond},
			{URL: "http://127.0.0.1:9400/metrics", Kind: "gpu", Fetches: 2, Failures: 2, LastError: "connection refused"},
		},
		Metrics: []servermetrics.Metric{
			{Name: "vllm:kv_cache_usage_perc", Type: "gauge", Help: "KV-cache usage.", Series: []servermetrics.Series{{
				Endpoint: "http://127.0.0.1:8000/metrics", Labels: map[string]string{"engine": "0"},
				Gauge: &servermetrics.GaugeStats{Summary: metrics.Summarize([]float64{0.1, 0.3, 0.2})}}}},
			{Name: "vllm:request_success_total", Type: "counter", Help: "Requests.", Series: []servermetrics.Series{{
				Endpoint: "http://127.0.0.1:8000/metrics", Counter: &servermetrics.CounterStats{Total: 4, Rate: 0.4}}}},
			{Name: "vllm:time_to_first_token_seconds", Type: "histogram", Help: "TTFT.", Series: []servermetrics.Series{
				{Endpoint: "http://127.0.0.1:8000/metrics", Labels: map[string]string{"engine": "0"},
					Histogram: &servermetrics.HistogramStats{Count: 4, Sum: 0.1, Avg: 0.025, CountRate: 0.4, SumRate: 0.01, Estimates: est(), Buckets: buckets}},
				{Endpoint: "http://127.0.0.1:8000/metrics", Labels: map[string]string{"engine": "1"},
					Histogram: &servermetrics.HistogramStats{Avg: nan, Estimates: []float64{nan, nan, nan, nan, nan, nan, nan, nan, nan},
						Buckets: []servermetrics.Bucket{{Le: 0.02}, {Le: 0.04}, {Le: inf}}}},
			}},
		},
	}
}

func TestServerMetricsJSONShape(t *testing.T) {
	out := written(t, func(w io.Writer) error {
		return WriteServerMetricsJSON(w, serverFixture(), ServerMetricsInfo{Version: "v9"})
	})
	var doc struct {
		SchemaVersion string `json:"schema_version"`
		Summary       struct {
			Configured   []string                  `json:"endpoints_configured"`
			Successful   []string                  `json:"endpoints_successful"`
			EndpointInfo map[string]map[string]any `json:"endpoint_info"`
		} `json:"summary"`
		Metrics map[string]struct {
			Type   string `json:"type"`
			Unit   string `json:"unit"`
			Series []struct {
				Stats   map[string]any     `json:"stats"`
				Buckets map[string]float64 `json:"buckets"`
			} `json:"series"`
		} `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if doc.SchemaVersion != "1.0" || len(doc.Summary.Configured) != 2 || len(doc.Summary.Successful) != 1 {
		t.Errorf("summary %+v", doc.Summary)
	}
	gpu := doc.Summary.EndpointInfo["http://127.0.0.1:9400/metrics"]
	if gpu["failed_fetches"] != 2.0 || gpu["last_error"] != "connection refused" || gpu["first_fetch_ns"] != nil {
		t.Errorf("failed endpoint's info %v: want its failures, its last error and no fetch times", gpu)
	}
	ttft := doc.Metrics["vllm:time_to_first_token_seconds"]
	if ttft.Type != "histogram" || ttft.Unit != "seconds" || len(ttft.Series) != 2 {
		t.Fatalf("TTFT metric %+v", ttft)
	}
	s := ttft.Series[0]
	if s.Stats["count"] != 4.0 || s.Stats["p50_estimate"] != 0.03 || s.Buckets["+Inf"] != 4 || s.Buckets["0.04"] != 3 {
		t.Errorf("TTFT series %+v", s)
	}
	if empty := ttft.Series[1].Stats; len(empty) != 1 || empty["count"] != 0.0 {
		t.Errorf("a histogram with no observations has stats %v, want only count 0", empty)
	}
	kv := doc.Metrics["vllm:kv_cache_usage_perc"].Series[0].Stats
	if kv["max"] != 0.3 || kv["p50"] != 0.2 {
		t.Errorf("gauge stats %v", kv)
	}
	// +Inf is the last bucket, in the order written.
	if i, j := strings.Index(out, `"0.04"`), strings.Index(out, `"+Inf"`); i < 0 || j < i {
		t.Error("buckets are not in bound order")
	}
}

func TestServerMetricsCSVSections(t *testing.T) {
	out := written(t, func(w io.Writer) error {
		return WriteServerMetricsCSV(w, serverFixture(), ServerMetricsInfo{Version: "v9"})
	})
	wantIn(t, "CSV", out,
		"# AIPerf Server Metrics Export (CSV)\n",
		"Endpoint,Type,Metric,Unit,avg,min,max,std,p1,",
		"127.0.0.1:8000,counter,vllm:request_success_total,requests,4.0000,0.4000,Requests.\n",
		"127.0.0.1:8000,histogram,vllm:time_to_first_token_seconds,seconds,4,0.4000,0.1000,0.0100,0.0250,",
		"0.02=1;0.04=3;+Inf=4\n",
	)
	if sections := strings.Count(out, "\n\n"); sections != 2 {
		t.Errorf("%d blank-line separators, want 2 (gauge, counter, histogram)", sections)
	}
}

func TestServerMetricsConsoleSaysWhatIsMissing(t *testing.T) {
	res := &metrics.Result{Metrics: map[string]metrics.Metric{}, Valid: 4}
	out := written(t, func(w io.Writer) error {
		return WriteServerMetricsConsole(w, serverFixture(), res, []string{"/tmp/x/" + ServerMetricsJSONFile}, ConsoleOptions{Width: 120})
	})
	wantIn(t, "console", out, "Client vs Server", "~30.00", "Not scraped: http://127.0.0.1:9400/metrics (gpu metrics; 2 attempts failed: connection refused)",
		"Partly scraped: http://127.0.0.1:8000/metrics (1 of 11 attempts failed: HTTP 502)", "Server State", "30.00", "Server Metrics Export: /tmp/x/server_metrics_export.json")
}
