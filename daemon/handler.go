package daemon

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/aiperf-exporter/aiperf-exporter/collector"
)

// NewHandler routes /metrics (collector.Handler: OpenMetrics enabled, so
// exemplars are served), /-/healthy, /-/ready (503 until ready reports true)
// and the landing page.
func NewHandler(reg *prometheus.Registry, h *History, ready func() bool) http.Handler {
	return newHandler(reg, h, ready, nil, DefaultMetricsPath)
}

// DefaultMetricsPath is where the metrics are served unless
// --web.telemetry-path says otherwise.
const DefaultMetricsPath = "/metrics"

// newHandler is NewHandler with the metrics at metricsPath, and whose landing
// page also lists the failure counts by target and reason that failures gives
// for a scenario (nil: none).
func newHandler(reg *prometheus.Registry, h *History, ready func() bool, failures func(string) []FailureStat, metricsPath string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(metricsPath, collector.Handler(reg))
	mux.HandleFunc("/-/healthy", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("Healthy\n"))
	})
	mux.HandleFunc("/-/ready", func(w http.ResponseWriter, _ *http.Request) {
		if !ready() {
			http.Error(w, "Not ready: no probe has finished yet", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("Ready\n"))
	})
	mux.Handle("/", landing(h, ready, failures, metricsPath))
	return mux
}
