package mockserver

import (
	"net/http"
	"time"
)

// respondResults answers an endpoint that returns no text (embeddings,
// rankings): body, whole, after the TTFT from arrival, with the mock's faults
// that make sense without a stream (early errors, a stall, a dropped
// connection).
func (s *Server) respondResults(w http.ResponseWriter, r *http.Request, cfg Config, arrival time.Time, tr *Truth, promptWords int, body any) {
	f, answered := s.fault(w, cfg, tr)
	if answered {
		return
	}
	if !waitAnswer(r, cfg, arrival, cfg.TTFT, f, tr) {
		return
	}
	tr.Status, tr.PromptTokens = http.StatusOK, promptWords
	writeJSON(w, http.StatusOK, body)
	tr.ChunkNs = append(tr.ChunkNs, time.Now().UnixNano())
}
