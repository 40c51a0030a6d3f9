package mockserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// completionsRequest is the part of a /v1/completions body the mock reads.
type completionsRequest struct {
	modelStream
	Prompt        json.RawMessage `json:"prompt"`
	StreamOptions *streamOptions  `json:"stream_options"`
	lengthRequest
}

// handleCompletions serves POST /v1/completions as vLLM does: the answer's
// tokens as choices[].text, streamed as text_completion chunks (no role chunk)
// or whole.
func (s *Server) handleCompletions(w http.ResponseWriter, r *http.Request) {
	arrival, cfg, tr := s.begin(w, r, "completions")
	defer s.finish(tr)

	a, req, err := s.parseCompletions(w, r, cfg, tr)
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	e := chatEvents{a: a, usage: req.StreamOptions.includeUsage(), tr: tr}
	s.reply(w, r, a.tokens, req.Stream, e, streamOpts{cfg: cfg, arrival: arrival}, tr)
}

// parseCompletions reads and validates a completions body into its answer.
func (s *Server) parseCompletions(w http.ResponseWriter, r *http.Request, cfg Config, tr *Truth) (answer, completionsRequest, error) {
	var req completionsRequest
	if err := readModelRequest(w, r, cfg, tr, &req); err != nil {
		return answer{}, req, err
	}
	prompts, err := stringOrList("prompt", req.Prompt)
	if err != nil {
		return answer{}, req, err
	}
	words := strings.Fields(strings.Join(prompts, " "))
	n, finish, err := outputLength(req.lengthRequest, cfg.OutputTokens, len(words), s.uniform)
	if err != nil {
		return answer{}, req, err
	}
	a := newAnswer(tr.RequestID, "text_completion", req.Model, makeTokens(words, n), 0, finish, len(words))
	a.id, a.textChoices = "cmpl-"+tr.RequestID, true
	return a, req, nil
}

// stringOrList reads a field that OpenAI takes as a string or a non-empty
// list of strings (a completions prompt, an embeddings input).
func stringOrList(name string, raw json.RawMessage) ([]string, error) {
	v := bytes.TrimSpace(raw)
	if len(v) == 0 || bytes.Equal(v, []byte("null")) {
		return nil, invalid("%s is required", name)
	}
	if v[0] == '"' {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, invalid("%s: %v", name, err)
		}
		return []string{s}, nil
	}
	var list []string
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, invalid("%s is neither a string nor a list of strings: %v", name, err)
	}
	if len(list) == 0 {
		return nil, invalid("%s must not be empty", name)
	}
	return list, nil
}
