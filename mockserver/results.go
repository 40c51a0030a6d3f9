package mockserver

import (
	"net/http"
	"time"
)

// respondResults answers an endpoint that never streams (embeddings,
// rankings, images): body, whole, once an answer of tokens is due (at the
// TTFT for 0 or 1), with the mock's faults that make sense without a stream
// (early errors, a stall, a dropped connection).
func (s *Server) respondResults(w http.ResponseWriter, r *http.Request, cfg Config, arrival time.Time, tokens int, tr *Truth, promptWords int, body any) {
	f, answered := s.fault(w, cfg, tr)
	if answered {
		return
	}
	if s.sendWhole(w, r, cfg, arrival, tokens, f, func() any { return body }, tr) {
		tr.PromptTokens = promptWords
	}
}
