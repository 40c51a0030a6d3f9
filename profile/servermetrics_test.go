package profile

import "testing"

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
