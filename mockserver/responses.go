package mockserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// responsesRequest is the part of a Responses API body the mock reads: input
// is a string or a list of message items whose content is a string or parts.
type responsesRequest struct {
	modelStream
	Input           json.RawMessage `json:"input"`
	MaxOutputTokens *int            `json:"max_output_tokens"`
}

// handleResponses serves POST /v1/responses as vLLM does: a whole response
// object, or its events (response.created, one output_text.delta per token,
// output_text.done, response.completed with usage), each with an event line.
func (s *Server) handleResponses(w http.ResponseWriter, r *http.Request) {
	arrival, cfg, tr := s.begin(w, r, "responses")
	defer s.finish(tr)
	var req responsesRequest
	err := readModelRequest(w, r, cfg, tr, &req)
	var words []string
	if err == nil {
		words, err = responsesWords(req.Input)
	}
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	n, _, err := outputLength(limitedBy("max_output_tokens", req.MaxOutputTokens), cfg, len(words), s.uniform)
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	tokens := makeTokens(words, n)
	text := strings.Join(tokens, " ")
	tr.PromptTokens, tr.CompletionTokens = len(words), len(tokens)
	usage := map[string]any{"input_tokens": len(words), "output_tokens": len(tokens), "total_tokens": len(words) + len(tokens)}
	done := map[string]any{"id": "resp_" + tr.RequestID, "object": "response", "status": "completed", "model": req.Model,
		"output": []any{map[string]any{"type": "message", "role": "assistant", "status": "completed",
			"content": []any{map[string]any{"annotations": []any{}, "text": text, "type": "output_text"}}}},
		"usage": usage}
	s.reply(w, r, tokens, req.Stream, responsesEvents{id: done["id"], text: text, done: done}, streamOpts{cfg: cfg, arrival: arrival}, tr)
}

// responsesEvents are vLLM's Responses API events: response.created, one
// output_text.delta per token, output_text.done and response.completed.
type responsesEvents struct {
	id   any
	text string
	done map[string]any
}

// send writes one event, "type" last as vLLM writes it.
func (responsesEvents) send(ev sse, typ string, v map[string]any) {
	b, _ := json.Marshal(v)
	ev.event(typ, append(b[:len(b)-1], `,"type":"`+typ+`"}`...))
}

func (e responsesEvents) head(ev sse) {
	created := map[string]any{"id": e.id, "object": "response", "status": "in_progress", "output": []any{}, "usage": nil}
	e.send(ev, "response.created", map[string]any{"response": created})
}

func (e responsesEvents) token(ev sse, i int, tok string) {
	if i > 0 {
		tok = " " + tok
	}
	e.send(ev, "response.output_text.delta", map[string]any{"content_index": 0, "delta": tok, "output_index": 0})
}

func (e responsesEvents) whole() any { return e.done }

func (e responsesEvents) tail(ev sse) {
	e.send(ev, "response.output_text.done", map[string]any{"content_index": 0, "output_index": 0, "text": e.text})
	e.send(ev, "response.completed", map[string]any{"response": e.done})
}

// responsesWords returns the words of every text in a Responses input.
func responsesWords(raw json.RawMessage) ([]string, error) {
	v := bytes.TrimSpace(raw)
	if len(v) > 0 && v[0] == '"' {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, invalid("input: %v", err)
		}
		return strings.Fields(s), nil
	}
	var items []struct {
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(v, &items); err != nil || len(items) == 0 {
		return nil, invalid("input is neither a string nor a non-empty list of items")
	}
	var words []string
	for i, it := range items {
		c := bytes.TrimSpace(it.Content)
		if len(c) > 0 && c[0] == '"' {
			var s string
			_ = json.Unmarshal(c, &s)
			words = append(words, strings.Fields(s)...)
			continue
		}
		var parts []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}
		if err := json.Unmarshal(c, &parts); err != nil {
			return nil, invalid("input[%d].content: %v", i, err)
		}
		for _, p := range parts {
			if p.Type == "input_text" {
				words = append(words, strings.Fields(p.Text)...)
			}
		}
	}
	return words, nil
}
