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

// parseCompletions reads a POST /v1/completions body, answered as vLLM
// does: the answer's tokens as choices[].text, streamed as text_completion
// chunks (no role chunk) or whole.
func (s *Server) parseCompletions(w http.ResponseWriter, r *http.Request, cfg Config, tr *Truth) (chatEvents, bool, error) {
	var req completionsRequest
	if err := readModelRequest(w, r, cfg, tr, &req); err != nil {
		return chatEvents{}, false, err
	}
	prompts, err := stringOrList("prompt", req.Prompt)
	if err != nil {
		return chatEvents{}, false, err
	}
	words := strings.Fields(strings.Join(prompts, " "))
	n, finish, err := outputLength(req.lengthRequest, cfg, len(words), s.uniform)
	if err != nil {
		return chatEvents{}, false, err
	}
	a := newAnswer(tr.RequestID, "text_completion", req.Model, makeTokens(words, n), 0, finish, len(words))
	a.id, a.textChoices = "cmpl-"+tr.RequestID, true
	return chatEvents{a: a, usage: req.StreamOptions.includeUsage(), tr: tr}, req.Stream, nil
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
