// Package mockserver is an OpenAI-compatible server that streams like vLLM,
// with configurable latency, fault modes and "truth" stamps of when it really
// wrote each chunk, so tests and benchmarks can check a client's measurements.
package mockserver

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

// maxBodyBytes bounds a request body (audio included).
const maxBodyBytes = 64 << 20

// Server is the mock server's http.Handler.
type Server struct {
	log    *zap.Logger
	mux    *http.ServeMux
	truths *truthStore
	seq    atomic.Int64 // for request IDs the client did not send
	active atomic.Int64 // streams in flight, to decide whether spinning is affordable

	prefill prefillCount // streams before their first token (prefill.go)

	videos videoJobs // the Videos API's jobs (videos.go)

	mu  sync.RWMutex
	cfg Config

	readyAtNs atomic.Int64 // Unix ns when a LoadingFor period ends

	endpointPaths []string        // the endpoint types' paths, in the table's order (routes.go)
	routes        []route         // every route served, in the order registered (routes.go)
	servesModel   map[string]bool // the paths that fail while the model is loading (LoadingFor)

	rngMu sync.Mutex
	rng   *rand.Rand

	// metrics is the vLLM-shaped /metrics and the fake GPU's /dcgm/metrics.
	metrics *serverMetrics

	control controlCalls // the control routes' counts (control.go)

	mm mmCache // uuids of images sent with bytes (mmcache.go)
}

// New returns a server with cfg; log may be nil.
func New(cfg Config, log *zap.Logger) *Server {
	if log == nil {
		log = zap.NewNop()
	}
	s := &Server{log: log, mux: http.NewServeMux(), truths: newTruthStore(truthCapacity), metrics: newServerMetrics()}
	s.Configure(cfg)
	s.endpointPaths = s.routeEndpoints() // each endpoint type at its paths (routes.go)
	s.servesModel = map[string]bool{"/health": true, "/v1/models": true}
	for _, p := range s.endpointPaths {
		s.servesModel[p] = true
	}
	s.handle("GET /v1/models", "", http.HandlerFunc(s.handleModels))
	s.handle("GET /health", "", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") }))
	s.handle("GET /configure", "the current settings", http.HandlerFunc(s.handleGetConfig))
	s.handle("POST /configure", "change latency or faults", http.HandlerFunc(s.handleConfigure))
	s.handle("GET /debug/truth", "?request_id=ID", http.HandlerFunc(s.handleTruth))
	s.handle("GET /metrics", "vLLM-shaped, from real timings", s.metrics.handler())
	s.handle("GET /dcgm/metrics", "dcgm-exporter-shaped, fake GPU numbers", s.metrics.gpuHandler())
	s.handle("GET /v1/videos/{id}", "a video job's status", http.HandlerFunc(s.handleVideoGet))
	s.handle("GET /v1/videos/{id}/content", "a completed job's video, MP4", http.HandlerFunc(s.handleVideoContent))
	s.registerControl()
	s.handle("GET /{$}", "this list", http.HandlerFunc(s.handleIndex))
	return s
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.servesModel[r.URL.Path] && time.Now().UnixNano() < s.readyAtNs.Load() {
		writeError(w, http.StatusServiceUnavailable, "ServiceUnavailableError", "the model is still loading")
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Configure swaps the configuration for requests that arrive from now on and
// reseeds the random source.
//
// A LoadingFor different from the current one starts a loading period of that
// length now (so a /configure of another setting does not restart it).
func (s *Server) Configure(cfg Config) {
	s.mu.Lock()
	if cfg.LoadingFor != s.cfg.LoadingFor {
		s.readyAtNs.Store(time.Now().Add(cfg.LoadingFor).UnixNano())
	}
	s.cfg = cfg
	s.mu.Unlock()
	s.rngMu.Lock()
	s.rng = newRand(cfg.Seed)
	s.rngMu.Unlock()
}

// config returns the current configuration.
func (s *Server) config() Config {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cfg
}

// uniform draws from the server's seeded source.
func (s *Server) uniform() float64 {
	s.rngMu.Lock()
	defer s.rngMu.Unlock()
	return s.rng.Float64()
}

func (s *Server) handleConfigure(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "BadRequestError", "read body: "+err.Error())
		return
	}
	cfg, err := mergeJSON(body, s.config())
	if err != nil {
		writeError(w, http.StatusBadRequest, "BadRequestError", err.Error())
		return
	}
	s.Configure(cfg)
	s.log.Info("mock server reconfigured", zap.Any("config", toJSON(cfg)))
	s.handleGetConfig(w, r)
}

func (s *Server) handleGetConfig(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, toJSON(s.config()))
}

func (s *Server) handleModels(w http.ResponseWriter, _ *http.Request) {
	type model struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Created int64  `json:"created"`
		OwnedBy string `json:"owned_by"`
	}
	models := s.config().Models
	if len(models) == 0 {
		models = []string{"mock-model"}
	}
	data := make([]model, len(models))
	for i, m := range models {
		data[i] = model{ID: m, Object: "model", Created: startTime.Unix(), OwnedBy: "aiperf-exporter"}
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data})
}

// handleIndex lists every route the server serves (routes.go), one a line.
func (s *Server) handleIndex(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	var b strings.Builder
	b.WriteString("aiperf-exporter mock server (OpenAI-compatible)\n")
	for _, rt := range s.routes {
		b.WriteString(rt.line())
	}
	_, _ = io.WriteString(w, b.String())
}

// startTime is reported as the models' creation time.
var startTime = time.Now()

// requestID returns the client's X-Request-ID or a new one.
func (s *Server) requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-ID"); id != "" {
		return id
	}
	return "mock-" + strconv.FormatInt(s.seq.Add(1), 10)
}

// apiError is the OpenAI error body.
type apiError struct {
	Error struct {
		Message string `json:"message"`
		Type    string `json:"type"`
		Code    int    `json:"code"`
	} `json:"error"`
}

func errorBody(code int, typ, msg string) apiError {
	var e apiError
	e.Error.Message, e.Error.Type, e.Error.Code = msg, typ, code
	return e
}

// writeError writes an OpenAI-style error: {"error":{"message","type","code"}}.
func writeError(w http.ResponseWriter, code int, typ, msg string) {
	writeJSON(w, code, errorBody(code, typ, msg))
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, fmt.Sprintf("encode response: %v", err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(code)
	_, _ = w.Write(append(b, '\n'))
}
