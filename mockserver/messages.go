package mockserver

import (
	"encoding/json"
	"net/http"
	"strings"
)

// messagesRequest is the part of an Anthropic Messages API body the mock
// reads: messages as chat's (a string or text and image blocks), the
// top-level system prompt (a string or text blocks) and the required max_tokens.
type messagesRequest struct {
	modelStream
	Messages  []message       `json:"messages"`
	System    json.RawMessage `json:"system"`
	MaxTokens *int            `json:"max_tokens"`
}

// handleMessages serves POST /v1/messages as Anthropic's API documents it
// (docs.anthropic.com, "Messages" and "Streaming Messages"): the
// anthropic-version header and max_tokens are required; a whole message
// object, or its events (message_start, content blocks of thinking then text
// deltas, message_delta with the output usage, message_stop), each with an
// event line.
func (s *Server) handleMessages(w http.ResponseWriter, r *http.Request) {
	arrival, cfg, tr := s.begin(w, r, "messages")
	defer s.finish(tr)
	var req messagesRequest
	p, err := func() (prompt, error) {
		if r.Header.Get("Anthropic-Version") == "" {
			return prompt{}, invalid("anthropic-version: header is required")
		}
		if err := readModelRequest(w, r, cfg, tr, &req); err != nil {
			return prompt{}, err
		}
		if req.MaxTokens == nil {
			return prompt{}, invalid("max_tokens: Field required")
		}
		if len(req.Messages) == 0 {
			return prompt{}, invalid("messages: at least one message is required")
		}
		p, err := readPrompt(append([]message{{Role: "system", Content: req.System}}, req.Messages...))
		tr.Images = p.images
		return p, err
	}()
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	n, finish, err := outputLength(limitedBy("max_tokens", req.MaxTokens), cfg, p.words, s.uniform)
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	e := messagesEvents{id: "msg_" + tr.RequestID, model: req.Model, tokens: makeTokens(p.echo, n),
		reasoning: min(cfg.ReasoningTokens, n), input: p.words, stop: "end_turn", tr: tr}
	if finish == "length" {
		e.stop = "max_tokens"
	}
	tr.PromptTokens, tr.CompletionTokens, tr.FinishReason = p.words, n, e.stop
	s.reply(w, r, e.tokens, req.Stream, e, streamOpts{cfg: cfg, arrival: arrival}, tr)
}

// messagesEvents are the Messages API's events: the first reasoning tokens
// as a thinking block (index 0), the rest as a text block after it.
type messagesEvents struct {
	id, model, stop string
	tokens          []string
	reasoning       int // the first tokens sent as thinking
	input           int
	tr              *Truth
}

func (messagesEvents) send(ev sse, typ string, v map[string]any) {
	v["type"] = typ
	b, _ := json.Marshal(v)
	ev.event(typ, b)
}

// message is the message object: empty in message_start, whole when not streamed.
func (e messagesEvents) message(content []any, stop any, output int) map[string]any {
	return map[string]any{"id": e.id, "type": "message", "role": "assistant", "model": e.model,
		"content": content, "stop_reason": stop, "stop_sequence": nil,
		"usage": map[string]any{"input_tokens": e.input, "output_tokens": output}}
}

// whole is the non-streamed answer: a thinking block (if any), then the text.
func (e messagesEvents) whole() any {
	var content []any
	if e.reasoning > 0 {
		content = append(content, map[string]any{"type": "thinking", "thinking": strings.Join(e.tokens[:e.reasoning], " "), "signature": "mock"})
	}
	content = append(content, map[string]any{"type": "text", "text": strings.Join(e.tokens[e.reasoning:], " ")})
	return e.message(content, e.stop, len(e.tokens))
}

// block opens content block i: thinking or text.
func (e messagesEvents) block(ev sse, i int) {
	b := map[string]any{"type": "text", "text": ""}
	if i == 0 && e.reasoning > 0 {
		b = map[string]any{"type": "thinking", "thinking": ""}
	}
	e.send(ev, "content_block_start", map[string]any{"index": i, "content_block": b})
}

func (e messagesEvents) head(ev sse) {
	e.send(ev, "message_start", map[string]any{"message": e.message([]any{}, nil, 1)})
	e.block(ev, 0)
	e.send(ev, "ping", map[string]any{})
}

func (e messagesEvents) token(ev sse, i int, tok string) {
	index := 0
	if e.reasoning > 0 && i >= e.reasoning {
		index = 1
	}
	if i > 0 && i == e.reasoning { // the thinking block ends, the text one opens
		e.send(ev, "content_block_delta", map[string]any{"index": 0, "delta": map[string]any{"type": "signature_delta", "signature": "mock"}})
		e.send(ev, "content_block_stop", map[string]any{"index": 0})
		e.block(ev, 1)
	}
	if i > 0 && i != e.reasoning {
		tok = " " + tok
	}
	d := map[string]any{"type": "text_delta", "text": tok}
	if i < e.reasoning {
		d = map[string]any{"type": "thinking_delta", "thinking": tok}
		e.tr.ReasoningChunks++
	}
	e.send(ev, "content_block_delta", map[string]any{"index": index, "delta": d})
}

func (e messagesEvents) tail(ev sse) {
	last := 0
	if e.reasoning > 0 && len(e.tokens) > e.reasoning {
		last = 1
	}
	e.send(ev, "content_block_stop", map[string]any{"index": last})
	e.send(ev, "message_delta", map[string]any{"delta": map[string]any{"stop_reason": e.stop, "stop_sequence": nil},
		"usage": map[string]any{"output_tokens": len(e.tokens)}})
	e.send(ev, "message_stop", map[string]any{})
}
