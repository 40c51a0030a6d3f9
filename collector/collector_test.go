package collector

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.prom")

func newTest(t *testing.T) (*prometheus.Registry, *Collector) {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	c, err := New(reg, []Scenario{testScenario})
	if err != nil {
		t.Fatal(err)
	}
	return reg, c
}

// probeMetricNames lists the gathered aiperf_ families except build_info (its labels carry the Go version).
func probeMetricNames(t *testing.T, reg *prometheus.Registry) []string {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, mf := range mfs {
		if n := mf.GetName(); strings.HasPrefix(n, "aiperf_") && n != Program+"_build_info" {
			names = append(names, n)
		}
	}
	return names
}

func TestGoldenExposition(t *testing.T) {
	reg, c := newTest(t)
	for _, r := range []*record.Record{success("req-1"), serverError(), warmup()} {
		c.Started(r.Scenario, r.Model, r.Target)
		c.Observe(r)
	}
	c.Paused("short", "omni", "gpu0")
	c.Resumed("short", "omni", "gpu0", 1500*time.Millisecond)
	names := probeMetricNames(t, reg)
	golden := filepath.Join("testdata", "golden.prom")
	if *update {
		b, err := testutil.GatherAndFormat(reg, expfmt.TypeTextPlain, names...)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(golden)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := testutil.GatherAndCompare(reg, f, names...); err != nil {
		t.Fatal(err)
	}
	if len(names) != 27 {
		t.Fatalf("got %d probe metric families, want the 27 of the contract: %v", len(names), names)
	}
}

func TestLintClean(t *testing.T) {
	reg, c := newTest(t)
	c.Observe(success("req-1"))
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint %s: %s", p.Metric, p.Text)
	}
}

func TestObserveValues(t *testing.T) {
	reg, c := newTest(t)
	c.Started("short", "omni", "gpu0")
	c.Started("short", "omni", "gpu0")
	c.Started("short", "omni", "gpu0")
	c.Observe(success("req-1"))
	c.Observe(serverError())
	c.Observe(warmup())
	l := []string{"short", "omni", "gpu0"}
	cases := []struct {
		name string
		c    prometheus.Collector
		want float64
	}{
		{"success", c.requests.WithLabelValues(append(l, "success")...), 1},
		{"error", c.requests.WithLabelValues(append(l, "error")...), 1},
		{"http_5xx", c.errors.WithLabelValues(append(l, "http_5xx")...), 1},
		{"timeout", c.errors.WithLabelValues(append(l, "timeout")...), 0},
		{"in flight", c.inFlight.WithLabelValues(l...), 0},
		{"input tokens (both requests)", c.inTokTotal.WithLabelValues(l...), 100},
		{"output tokens", c.outTokTotal.WithLabelValues(l...), 5},
		{"audio seconds (both requests)", c.audioTotal.WithLabelValues(l...), 5},
		{"new connections", c.newConns.WithLabelValues(l...), 1},
		{"last success", c.lastSuccess.WithLabelValues(l...), float64(t0+int64(ms(141))) / 1e9},
		{"concurrency", c.concurrency.WithLabelValues(l...), 4},
	}
	for _, tc := range cases {
		if got := testutil.ToFloat64(tc.c); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	// The histograms hold exactly the one successful profiling request.
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{ // sum of the one observation, in seconds or tokens
		"aiperf_time_to_first_token_seconds":        0.1,
		"aiperf_time_to_second_token_seconds":       0.01,
		"aiperf_time_to_first_output_token_seconds": 0.1,
		"aiperf_inter_token_latency_seconds":        0.01,
		"aiperf_request_latency_seconds":            0.14,
		"aiperf_schedule_lag_seconds":               0.002,
		"aiperf_request_input_tokens":               50,
		"aiperf_request_output_tokens":              5,
	}
	for _, mf := range mfs {
		w, ok := want[mf.GetName()]
		if !ok {
			continue
		}
		h := mf.GetMetric()[0].GetHistogram()
		if h.GetSampleCount() != 1 || abs(h.GetSampleSum()-w) > 1e-9 {
			t.Errorf("%s: count %d sum %v, want 1 and %v", mf.GetName(), h.GetSampleCount(), h.GetSampleSum(), w)
		}
		if h.GetSchema() == 0 && len(h.GetPositiveSpan()) == 0 {
			t.Errorf("%s: no native buckets", mf.GetName())
		}
		delete(want, mf.GetName())
	}
	if len(want) != 0 {
		t.Errorf("histograms missing: %v", want)
	}
}

func abs(x float64) float64 { return max(x, -x) }

func TestBucketLayouts(t *testing.T) {
	cases := []struct {
		name    string
		buckets []float64
		must    []float64
	}{
		{"ttft", TTFTBuckets, vllmTTFT},
		{"itl", ITLBuckets, append(slices.Clone(vllmITL), 0.001, 0.005)},
		{"latency", LatencyBuckets, vllmE2E},
		{"tokens", TokenBuckets, []float64{1, 2, 5, 10, 100000, 200000}},
		{"phase: 1-2.5-5 from a loopback connect to a minute", PhaseBuckets, []float64{0.0001, 0.00025, 0.0005, 0.001, 0.01, 0.1, 1, 10, 60}},
	}
	for _, c := range cases {
		if !slices.IsSorted(c.buckets) || len(slices.Compact(slices.Clone(c.buckets))) != len(c.buckets) {
			t.Errorf("%s: buckets not strictly increasing: %v", c.name, c.buckets)
		}
		for _, e := range c.must {
			if !slices.Contains(c.buckets, e) {
				t.Errorf("%s: edge %v missing", c.name, e)
			}
		}
	}
}
