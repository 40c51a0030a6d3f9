package profile

import (
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
)

func TestMetricsURL(t *testing.T) {
	for in, want := range map[string]string{
		"localhost:9400":                "http://localhost:9400/metrics",
		"http://node1:9400/":            "http://node1:9400/metrics",
		"https://h:8002/metrics":        "https://h:8002/metrics",
		"h:8000/prometheus/metrics":     "http://h:8000/prometheus/metrics",
		" http://user:pw@h:1 ":          "http://user:pw@h:1/metrics",
		"http://127.0.0.1:8000/v1/base": "http://127.0.0.1:8000/v1/base",
	} {
		if got := metricsURL(in); got != want {
			t.Errorf("metricsURL(%q) = %q, want %q", in, got, want)
		}
	}
}

// A timed warmup falls inside the server's window as a counted one does, so
// the server-metrics note is planned for it too.
func TestServerMetricsPlanNotesATimedWarmup(t *testing.T) {
	p := &options.Profile{ServerMetricsInterval: 1}
	cfg := probe.Config{Targets: []probe.Target{{URL: "http://127.0.0.1:1/v1/chat/completions"}}, WarmupDuration: time.Second}
	plan, err := planServerMetrics(p, cfg, "/v1/chat/completions", "")
	if err != nil || plan == nil || !plan.warmupTimed {
		t.Fatalf("plan %+v, %v: want a timed warmup noted", plan, err)
	}
}
