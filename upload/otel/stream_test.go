package otel

import (
	"context"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// receiver is a loopback OTLP/HTTP endpoint that decodes every push with
// the OpenTelemetry Collector's own OTLP/JSON decoder.
type receiver struct {
	mu     sync.Mutex
	pushes []pmetric.Metrics
	status int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if r.URL.Path != "/v1/metrics" || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "want POST /v1/metrics as application/json", http.StatusUnsupportedMediaType)
		return
	}
	m, err := (&pmetric.JSONUnmarshaler{}).UnmarshalMetrics(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.status != 0 {
		w.WriteHeader(rc.status) // a proxy's error page, its lines and all
		io.WriteString(w, "<html>\r\n<body>collector\tunavailable</body>\n</html>\n")
		return
	}
	rc.pushes = append(rc.pushes, m)
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, "{}")
}

func streamed(id string, ttftMs, lastMs float64, osl int) *record.Record {
	return &record.Record{RequestID: id, Phase: record.PhaseProfiling, Streaming: true, StartNs: time.Now().UnixNano(),
		InputTokens: 100, OutputTokens: osl, ReasoningTokens: -1, Responses: record.Responses{
			{Offset: time.Duration(ttftMs * 1e6), Kind: record.Content},
			{Offset: time.Duration(lastMs * 1e6), Kind: record.Content}}}
}

func failed(id string, code int) *record.Record {
	return &record.Record{RequestID: id, Phase: record.PhaseProfiling, StartNs: time.Now().UnixNano(), InputTokens: 7,
		OutputTokens: -1, ReasoningTokens: -1, Error: &record.Error{Code: code, Message: "boom"}}
}

// byName indexes the pushed metrics by name.
func byName(t *testing.T, m pmetric.Metrics) (map[string]pmetric.Metric, pcommon.Map) {
	t.Helper()
	if m.ResourceMetrics().Len() != 1 || m.ResourceMetrics().At(0).ScopeMetrics().Len() != 1 {
		t.Fatalf("want one resource and one scope, got %d resources", m.ResourceMetrics().Len())
	}
	rm := m.ResourceMetrics().At(0)
	sm := rm.ScopeMetrics().At(0)
	if sm.Scope().Name() != "aiperf.records" {
		t.Errorf("scope %q", sm.Scope().Name())
	}
	out := map[string]pmetric.Metric{}
	for i := 0; i < sm.Metrics().Len(); i++ {
		out[sm.Metrics().At(i).Name()] = sm.Metrics().At(i)
	}
	return out, rm.Resource().Attributes()
}

func attr(t *testing.T, m pcommon.Map, k string) string {
	t.Helper()
	v, ok := m.Get(k)
	if !ok {
		t.Errorf("attribute %s missing from %v", k, m.AsRaw())
		return ""
	}
	return v.AsString()
}

func TestStreamPushesWhatAIPerfStreams(t *testing.T) {
	rc := &receiver{}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	// checked while the collector is still up: the stream's Close ends its connections
	defer testkit.NoLeaks(t, goleak.IgnoreCurrent())
	url, _ := NormalizeURL(srv.URL)
	s := New(Config{URL: url, Metrics: true, Timing: true, Resource: map[string]string{"team": "perf", "service.name": "bench"}},
		RunInfo{EndpointType: "chat", Model: "m", URLs: []string{"https://api.openai.com/v1/chat/completions"}, ExpectedRequests: 4})
	for _, r := range []*record.Record{streamed("a", 100, 300, 3), streamed("b", 50, 1500, 11), failed("c", 503)} {
		s.Sent(r)
		s.Add(r)
	}
	s.Sent(&record.Record{Phase: record.PhaseProfiling}) // one still in flight
	s.Add(&record.Record{Phase: record.PhaseWarmup, Streaming: true, Responses: record.Responses{{Offset: time.Second}}})
	if err := s.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if len(rc.pushes) != 1 {
		t.Fatalf("%d pushes arrived", len(rc.pushes))
	}
	got, res := byName(t, rc.pushes[0])

	if attr(t, res, "service.name") != "bench" || attr(t, res, "team") != "perf" || attr(t, res, "aiperf.endpoint.type") != "chat" ||
		attr(t, res, "aiperf.model.name") != "m" || attr(t, res, "service.instance.id") != "records-manager" {
		t.Errorf("resource %v", res.AsRaw())
	}

	// request_latency: 0.3 s and 1.5 s in the GenAI duration buckets.
	dur := got["gen_ai.client.operation.duration"]
	if dur.Type() != pmetric.MetricTypeHistogram || dur.Unit() != "s" || dur.Histogram().AggregationTemporality() != pmetric.AggregationTemporalityCumulative {
		t.Fatalf("duration: %v %q", dur.Type(), dur.Unit())
	}
	p := dur.Histogram().DataPoints().At(0)
	if p.Count() != 2 || math.Abs(p.Sum()-1.8) > 1e-9 || p.Min() != 0.3 || p.Max() != 1.5 {
		t.Errorf("duration point count %d sum %g min %g max %g", p.Count(), p.Sum(), p.Min(), p.Max())
	}
	// bounds 0.01 … 81.92: 0.3 falls in (0.16, 0.32], 1.5 in (1.28, 2.56]
	if p.ExplicitBounds().Len() != 14 || p.BucketCounts().At(5) != 1 || p.BucketCounts().At(8) != 1 {
		t.Errorf("duration buckets %v over %v", p.BucketCounts().AsRaw(), p.ExplicitBounds().AsRaw())
	}
	if attr(t, p.Attributes(), "gen_ai.operation.name") != "chat" || attr(t, p.Attributes(), "gen_ai.provider.name") != "openai" ||
		attr(t, p.Attributes(), "gen_ai.request.model") != "m" {
		t.Errorf("duration attributes %v", p.Attributes().AsRaw())
	}
	ttft := got["gen_ai.client.operation.time_to_first_chunk"].Histogram().DataPoints().At(0)
	if ttft.Count() != 2 || math.Abs(ttft.Sum()-0.15) > 1e-9 {
		t.Errorf("ttft count %d sum %g", ttft.Count(), ttft.Sum())
	}
	// ITL: (300-100)/2 = 100 ms and (1500-50)/10 = 145 ms
	itl := got["gen_ai.client.operation.time_per_output_chunk"].Histogram().DataPoints().At(0)
	if itl.Count() != 2 || math.Abs(itl.Sum()-0.245) > 1e-9 {
		t.Errorf("itl count %d sum %g", itl.Count(), itl.Sum())
	}
	tok := got["gen_ai.client.token.usage"]
	if tok.Unit() != "{token}" || tok.Histogram().DataPoints().At(0).Sum() != 14 || attr(t, tok.Histogram().DataPoints().At(0).Attributes(), "gen_ai.token.type") != "output" {
		t.Errorf("token usage %q %v", tok.Unit(), tok.Histogram().DataPoints().At(0).Attributes().AsRaw())
	}

	// The rest keep AIPerf's names and record unit: TTST in ns.
	ttst := got["aiperf.time_to_second_token"]
	if ttst.Unit() != "ns" || ttst.Histogram().DataPoints().At(0).Sum() != 200e6+1450e6 {
		t.Errorf("ttst %q sum %g", ttst.Unit(), ttst.Histogram().DataPoints().At(0).Sum())
	}
	eisl := got["aiperf.error_isl"].Histogram().DataPoints().At(0)
	if eisl.Sum() != 7 || attr(t, eisl.Attributes(), "aiperf.has_error") != "true" || attr(t, eisl.Attributes(), "aiperf.benchmark_phase") != "profiling" {
		t.Errorf("error_isl %g %v", eisl.Sum(), eisl.Attributes().AsRaw())
	}

	for name, want := range map[string]int64{"aiperf.timing.requests.sent": 4, "aiperf.timing.requests.completed": 3, "aiperf.timing.requests.errors": 1, "aiperf.timing.requests.cancelled": 0} {
		m := got[name]
		if m.Type() != pmetric.MetricTypeSum || !m.Sum().IsMonotonic() || m.Sum().DataPoints().At(0).IntValue() != want {
			t.Errorf("%s: %v %d, want %d", name, m.Type(), m.Sum().DataPoints().At(0).IntValue(), want)
		}
	}
	inflight := got["aiperf.timing.requests.in_flight"].Sum()
	if inflight.IsMonotonic() || inflight.DataPoints().At(0).DoubleValue() != 1 ||
		attr(t, inflight.DataPoints().At(0).Attributes(), "aiperf.total_expected_requests") != "4" {
		t.Errorf("in_flight %v", inflight.DataPoints().At(0).Attributes().AsRaw())
	}
}

func TestStreamDomains(t *testing.T) {
	for _, c := range []struct {
		metrics, timing bool
		has, hasNot     string
	}{
		{true, false, "gen_ai.client.operation.duration", "aiperf.timing.requests.sent"},
		{false, true, "aiperf.timing.requests.sent", "gen_ai.client.operation.duration"},
	} {
		rc := &receiver{}
		srv := httptest.NewServer(rc)
		url, _ := NormalizeURL(srv.URL)
		s := New(Config{URL: url, Metrics: c.metrics, Timing: c.timing}, RunInfo{EndpointType: "chat", Model: "m"})
		s.Sent(streamed("a", 100, 300, 3))
		s.Add(streamed("a", 100, 300, 3))
		if err := s.Push(context.Background()); err != nil {
			t.Fatal(err)
		}
		srv.Close()
		got, _ := byName(t, rc.pushes[0])
		if _, ok := got[c.has]; !ok {
			t.Errorf("metrics=%v timing=%v: %s missing", c.metrics, c.timing, c.has)
		}
		if _, ok := got[c.hasNot]; ok {
			t.Errorf("metrics=%v timing=%v: %s sent", c.metrics, c.timing, c.hasNot)
		}
	}
}

// A collector that refuses every push is one warning naming the endpoint,
// without its password; the points stay for the next push.
func TestStreamFailureIsOneWarning(t *testing.T) {
	rc := &receiver{status: http.StatusServiceUnavailable}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	url, _ := NormalizeURL(strings.Replace(srv.URL, "http://", "http://user:hunter2@", 1))
	s := New(Config{URL: url, Metrics: true, Timing: true}, RunInfo{EndpointType: "chat", Model: "m"})
	s.Add(streamed("a", 100, 300, 3))
	if s.Push(context.Background()) == nil || s.Push(context.Background()) == nil {
		t.Fatal("a 503 was not an error")
	}
	w := s.Failures()
	if !strings.Contains(w, "2 of 2 pushes failed") || !strings.Contains(w, `HTTP 503: <html>\r\n<body>collector\tunavailable</body>\n</html>`) ||
		strings.Contains(w, "hunter2") || strings.Contains(w, "\n") {
		t.Errorf("warning %q", w)
	}
	rc.mu.Lock()
	rc.status = 0
	rc.mu.Unlock()
	if err := s.Push(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, _ := byName(t, rc.pushes[0])
	if got["gen_ai.client.operation.duration"].Histogram().DataPoints().At(0).Count() != 1 {
		t.Error("the point was lost with the failed pushes")
	}
}
