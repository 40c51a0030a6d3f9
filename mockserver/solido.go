package mockserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// solidoRequest is a SOLIDO RAG body as AIPerf's own mock server reads it
// (aiperf-mock-server's SolidoRagRequest): query is a string or a list of
// them, filters and inference_model are kept as sent.
type solidoRequest struct {
	Query          json.RawMessage `json:"query"`
	Filters        map[string]any  `json:"filters"`
	InferenceModel string          `json:"inference_model"`
}

// handleSolido serves POST /rag/api/prompt: one whole answer, {"content":
// the generated text, "sources": the documents retrieved}.
func (s *Server) handleSolido(w http.ResponseWriter, r *http.Request) {
	arrival, cfg, tr := s.begin(w, r, "solido_rag")
	defer s.finish(tr)
	words, err := func() ([]string, error) {
		var req solidoRequest
		if err := readJSON(w, r, &req); err != nil {
			return nil, err
		}
		tr.Model = req.InferenceModel
		if err := checkModel(cfg, req.InferenceModel); err != nil {
			return nil, err
		}
		var query []string
		var err error
		q := bytes.TrimSpace(req.Query)
		if len(q) > 0 && q[0] == '"' {
			query = make([]string, 1)
			err = json.Unmarshal(q, &query[0])
		} else {
			err = json.Unmarshal(q, &query)
		}
		if err != nil || len(query) == 0 {
			return nil, invalid("query must be a string or a non-empty list of strings")
		}
		return strings.Fields(strings.Join(query, " ")), nil
	}()
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	n, _, _ := outputLength(lengthRequest{}, cfg, len(words), s.uniform)
	tokens := makeTokens(words, n)
	tr.CompletionTokens = len(tokens)
	answer := map[string]any{"content": joinTokens(tokens),
		"sources": []any{map[string]any{"title": "mock source", "score": 1.0}}}
	s.respondResults(w, r, cfg, arrival, len(tokens), tr, len(words), answer)
}
