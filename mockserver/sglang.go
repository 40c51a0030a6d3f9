package mockserver

import (
	"encoding/json"
	"net/http"
	"time"
)

// sglangRequest is SGLang's GenerateReqInput as the mock reads it
// (python/sglang/srt/managers/io_struct.py): a token-in prompt, the length
// asked in sampling_params, stream.
type sglangRequest struct {
	InputIDs       []int `json:"input_ids"`
	SamplingParams struct {
		MaxNewTokens *int `json:"max_new_tokens"`
	} `json:"sampling_params"`
	Stream bool `json:"stream"`
}

// handleSGLang answers a /generate body with input_ids as SGLang's
// http_server.py generate_request does: one JSON object, or one "data:" event
// per token ({"text", "output_ids", "meta_info", "index"}, the text and ids
// whole so far, as SGLang sends them without --stream-output) and [DONE].
func (s *Server) handleSGLang(w http.ResponseWriter, r *http.Request, body []byte, arrival time.Time, cfg Config, tr *Truth) {
	tr.Endpoint = "sglang_generate"
	var req sglangRequest
	if err := json.Unmarshal(body, &req); err != nil || len(req.InputIDs) == 0 {
		s.reject(w, invalid("input_ids must be a non-empty list of integers"), tr)
		return
	}
	tr.Stream = req.Stream
	n, finish, msg := outputLength(lengthRequest{MaxTokens: req.SamplingParams.MaxNewTokens}, cfg.OutputTokens, len(req.InputIDs), s.uniform)
	if msg != "" {
		s.reject(w, invalid("%s", msg), tr)
		return
	}
	e := sglangEvents{rid: tr.RequestID, prompt: len(req.InputIDs), finish: finish, tokens: makeTokens([]string{"tok"}, n)}
	tr.PromptTokens, tr.CompletionTokens, tr.FinishReason = e.prompt, n, finish
	if !req.Stream {
		s.respondResults(w, r, cfg, arrival.Add(time.Duration(max(n-1, 0))*cfg.ITL), tr, e.prompt, e.event(n-1))
		return
	}
	s.replyEvents(w, r, e.tokens, e, e.event(n-1), streamOpts{cfg: cfg, arrival: arrival}, tr)
}

// sglangEvents are SGLang's generate stream events.
type sglangEvents struct {
	rid, finish string
	prompt      int
	tokens      []string
}

// event is the answer after token i: the text and ids so far, and meta_info
// with the finish reason on the last.
func (e sglangEvents) event(i int) map[string]any {
	ids := make([]int, i+1)
	for j := range ids {
		ids[j] = 1000 + j
	}
	var finish any
	if i == len(e.tokens)-1 {
		finish = map[string]any{"type": e.finish}
	}
	return map[string]any{"text": joinTokens(e.tokens[:i+1]), "output_ids": ids, "index": 0,
		"meta_info": map[string]any{"id": e.rid, "finish_reason": finish, "prompt_tokens": e.prompt, "completion_tokens": i + 1}}
}

func (sglangEvents) head(sse) {}

func (e sglangEvents) token(ev sse, i int, _ string) { ev.json(e.event(i)) }

func (sglangEvents) tail(ev sse) { ev.data([]byte("[DONE]")) }
