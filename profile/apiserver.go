package profile

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// apiAddr is --api-host and --api-port: where AIPerf serves its live API
// during a run. "" when --api-port is not given. AIPerf's host default is
// 127.0.0.1.
func apiAddr(p *options.Profile) (string, error) {
	switch {
	case p.APIPort == 0 && p.APIHost != "":
		return "", &options.Error{Flag: "api-host", Msg: "needs --api-port"}
	case p.APIPort == 0:
		return "", nil
	case p.APIPort < 1 || p.APIPort > 65535:
		return "", &options.Error{Flag: "api-port", Msg: fmt.Sprintf("must be a port 1-65535, got %d", p.APIPort)}
	}
	host := p.APIHost
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, strconv.Itoa(p.APIPort)), nil
}

// apiServer is the nearest this tool has to AIPerf's API server: for the
// run's length, GET /api/progress (the run's progress as JSON), GET /metrics
// (the same counts for Prometheus, on a registry of its own) and GET /health.
type apiServer struct {
	srv  *http.Server
	done chan error
}

// startAPI listens on addr and serves prog until stop.
func startAPI(addr string, prog *progress) (*apiServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--api-port: %w", err)
	}
	a := &apiServer{srv: &http.Server{Handler: apiHandler(prog), ReadHeaderTimeout: 10 * time.Second}, done: make(chan error, 1)}
	go func() { a.done <- a.srv.Serve(ln) }()
	return a, nil
}

// stop closes the listener and waits briefly for requests being served.
func (a *apiServer) stop() {
	if a == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := a.srv.Shutdown(ctx); err != nil {
		a.srv.Close()
	}
	<-a.done // http.ErrServerClosed
}

// apiProgress is /api/progress's JSON.
type apiProgress struct {
	Phase             string  `json:"phase"` // warmup, profiling or complete
	RequestsCompleted int     `json:"requests_completed"`
	RequestsFailed    int     `json:"requests_failed"`
	RequestsTotal     *int    `json:"requests_total"` // null when the run has no request count
	ElapsedSeconds    float64 `json:"elapsed_seconds"`
}

func (p *progress) api() apiProgress {
	n, e, profiling, ended, began := p.snapshot()
	out := apiProgress{Phase: "warmup", RequestsCompleted: n, RequestsFailed: e}
	switch {
	case ended:
		out.Phase = "complete"
	case profiling:
		out.Phase = "profiling"
	}
	if p.total > 0 {
		out.RequestsTotal = &p.total
	}
	if !began.IsZero() {
		out.ElapsedSeconds = math.Round(time.Since(began).Seconds()*1000) / 1000
	}
	return out
}

func apiHandler(prog *progress) http.Handler {
	reg := prometheus.NewRegistry()
	for _, outcome := range []string{"success", "error"} {
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "aiperf_profile_requests_total", Help: "Profiling requests finished in this run, by outcome.",
			ConstLabels: prometheus.Labels{"outcome": outcome},
		}, func() float64 {
			n, e, _, _, _ := prog.snapshot()
			if outcome == "error" {
				return float64(e)
			}
			return float64(n - e)
		}))
	}
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "aiperf_profile_requests_planned", Help: "Profiling requests the run will send (0: no request count).",
	}, func() float64 { return float64(prog.total) }))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "aiperf_profile_elapsed_seconds", Help: "Seconds since the run's requests began.",
	}, func() float64 { return prog.api().ElapsedSeconds }))
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /api/progress", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(prog.api())
	})
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	return mux
}

// startAPI starts the API server when --api-port is given (nil otherwise);
// a port it cannot listen on ends the run before anything is sent (exit 1).
func (r *Run) startAPI(prog *progress) (*apiServer, error) {
	if r.apiAddr == "" {
		return nil, nil
	}
	a, err := startAPI(r.apiAddr, prog)
	if err != nil {
		return nil, exit(1, err)
	}
	return a, nil
}

// onProfiling chains the progress's phase change before next.
func (p *progress) onProfiling(next func()) func() {
	return func() {
		p.setPhase(true, false)
		if next != nil {
			next()
		}
	}
}
