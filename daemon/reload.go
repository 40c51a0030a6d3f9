package daemon

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// reloadStatus exposes the outcome of the last configuration (re)load, as
// Prometheus and blackbox_exporter do. It is registered on every registry the
// app serves, so it survives a reload that replaces the registry.
type reloadStatus struct {
	successful, timestamp prometheus.Gauge
}

func newReloadStatus() *reloadStatus {
	return &reloadStatus{
		successful: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "aiperf_exporter_config_last_reload_successful",
			Help: "Whether the last configuration reload (SIGHUP or POST /-/reload) succeeded: 1 yes, 0 no (the previous scenarios keep running).",
		}),
		timestamp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "aiperf_exporter_config_last_reload_success_timestamp_seconds",
			Help: "Unix time of the last successful configuration load (the start counts as one).",
		}),
	}
}

func (s *reloadStatus) Describe(ch chan<- *prometheus.Desc) {
	s.successful.Describe(ch)
	s.timestamp.Describe(ch)
}

func (s *reloadStatus) Collect(ch chan<- prometheus.Metric) {
	s.successful.Collect(ch)
	s.timestamp.Collect(ch)
}

func (s *reloadStatus) record(err error, now time.Time) {
	if err != nil {
		s.successful.Set(0)
		return
	}
	s.successful.Set(1)
	s.timestamp.Set(float64(now.UnixNano()) / 1e9)
}

// errLifecycleDisabled answers POST /-/reload without --web.enable-lifecycle.
var errLifecycleDisabled = errors.New("Lifecycle API is not enabled (start with --web.enable-lifecycle)")

// reloader hands reload requests (SIGHUP, POST /-/reload) to App.Run, one at
// a time, and returns each one's outcome.
type reloader struct {
	mu       sync.Mutex // one reload at a time
	requests chan chan error
}

// Reload asks the running app to reload its configuration and waits for the
// outcome: nil when the new scenarios run, else why the old ones still do.
func (a *App) Reload(ctx context.Context) error {
	a.reload.mu.Lock()
	defer a.reload.mu.Unlock()
	reply := make(chan error, 1)
	select {
	case a.reload.requests <- reply:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// reloadHandler is POST /-/reload: 200 when the new configuration runs, 500
// with the reason when the old one stays, 403 without --web.enable-lifecycle.
func (a *App) reloadHandler(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodPut {
		w.Header().Set("Allow", "POST, PUT")
		http.Error(w, "This endpoint requires a POST or PUT request.", http.StatusMethodNotAllowed)
		return
	}
	if !a.EnableLifecycle {
		http.Error(w, errLifecycleDisabled.Error(), http.StatusForbidden)
		return
	}
	if err := a.Reload(r.Context()); err != nil {
		http.Error(w, "failed to reload config: "+err.Error(), http.StatusInternalServerError)
		return
	}
	_, _ = w.Write([]byte("Reloaded\n"))
}

// ReloadMetrics returns a fresh copy of the reload metrics, for catalogs of
// what the exporter serves (deploy/promcheck).
func ReloadMetrics() prometheus.Collector { return newReloadStatus() }
