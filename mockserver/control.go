package mockserver

import (
	"net/http"
	"sync"
)

// Control routes: the servers' control-plane endpoints that `profile
// --reset-kv-cache` and `--server-profiler` POST to (vLLM's /reset_prefix_cache,
// SGLang's /flush_cache, both servers' /start_profile and /stop_profile). The
// mock counts them so a test can check what a run sent, and answers 200 with
// an empty body as the servers do.
const (
	ControlResetPrefixCache = "/reset_prefix_cache"
	ControlFlushCache       = "/flush_cache" // SGLang's name; counted as a reset
	ControlStartProfile     = "/start_profile"
	ControlStopProfile      = "/stop_profile"
)

// controlCalls counts the control requests received, by route.
type controlCalls struct {
	mu sync.Mutex
	n  map[string]int
}

func (s *Server) handleControl(route string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		s.control.mu.Lock()
		if s.control.n == nil {
			s.control.n = map[string]int{}
		}
		s.control.n[route]++
		s.control.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}
}

// registerControl adds the control routes to the server's mux.
func (s *Server) registerControl() {
	s.handle("POST "+ControlResetPrefixCache, "counted, 200", s.handleControl(ControlResetPrefixCache))
	s.handle("POST "+ControlFlushCache, "counted as a reset, 200", s.handleControl(ControlResetPrefixCache))
	s.handle("POST "+ControlStartProfile, "counted, 200", s.handleControl(ControlStartProfile))
	s.handle("POST "+ControlStopProfile, "counted, 200", s.handleControl(ControlStopProfile))
}

// ControlCalls is how many control requests each route has received
// (ControlFlushCache is counted under ControlResetPrefixCache).
func (s *Server) ControlCalls() map[string]int {
	s.control.mu.Lock()
	defer s.control.mu.Unlock()
	out := make(map[string]int, len(s.control.n))
	for k, v := range s.control.n {
		out[k] = v
	}
	return out
}
