package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/collector/pdata/pmetric"
)

// otlpReceiver is a loopback OTLP/HTTP collector: it decodes each push with
// the OpenTelemetry Collector's OTLP/JSON decoder and keeps the last one.
type otlpReceiver struct {
	mu     sync.Mutex
	last   pmetric.Metrics
	pushes int
	status int // non-zero: refuse every push with it
}

func (o *otlpReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if o.status != 0 {
		http.Error(w, "no", o.status)
		return
	}
	m, err := (&pmetric.JSONUnmarshaler{}).UnmarshalMetrics(body)
	if err != nil || r.URL.Path != "/v1/metrics" {
		http.Error(w, "bad push", http.StatusBadRequest)
		return
	}
	o.mu.Lock()
	o.last, o.pushes = m, o.pushes+1
	o.mu.Unlock()
}

func TestProfileStreamsToOTel(t *testing.T) {
	rc := &otlpReceiver{}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := profile(context.Background(), []string{"--mock", "--model", "m", "--streaming", "--request-count", "4", "--osl", "3",
		"--artifact-dir", dir, "--otel-url", strings.TrimPrefix(srv.URL, "http://"), "--otel-resource-attributes", "team=perf",
		"--gen-ai-provider", "vllm"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.pushes == 0 {
		t.Fatal("nothing was pushed")
	}
	rm := rc.last.ResourceMetrics().At(0)
	if v, _ := rm.Resource().Attributes().Get("team"); v.AsString() != "perf" {
		t.Errorf("resource %v", rm.Resource().Attributes().AsRaw())
	}
	got := map[string]pmetric.Metric{}
	ms := rm.ScopeMetrics().At(0).Metrics()
	for i := 0; i < ms.Len(); i++ {
		got[ms.At(i).Name()] = ms.At(i)
	}
	dur := got["gen_ai.client.operation.duration"].Histogram().DataPoints()
	if dur.Len() != 1 || dur.At(0).Count() != 4 {
		t.Fatalf("the last push holds %d duration series, want 4 requests in one", dur.Len())
	}
	if v, _ := dur.At(0).Attributes().Get("gen_ai.provider.name"); v.AsString() != "vllm" {
		t.Errorf("provider %v", dur.At(0).Attributes().AsRaw())
	}
	for _, name := range []string{"aiperf.timing.requests.sent", "aiperf.timing.requests.completed"} {
		if n := got[name].Sum().DataPoints().At(0).IntValue(); n != 4 {
			t.Errorf("%s = %d, want 4", name, n)
		}
	}
	if strings.Contains(stdout.String(), "Warning: OpenTelemetry") {
		t.Errorf("a warning without a failure:\n%s", stdout.String())
	}
}

// A collector that refuses every push costs one warning line; the run and
// its exports stand.
func TestProfileOTelFailureIsAWarning(t *testing.T) {
	srv := httptest.NewServer(&otlpReceiver{status: http.StatusServiceUnavailable})
	defer srv.Close()
	profileWarnsOnce(t, "Warning: OpenTelemetry export to "+srv.URL+"/v1/metrics", "--otel-url", srv.URL)
}
