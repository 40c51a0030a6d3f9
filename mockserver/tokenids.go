package mockserver

import (
	"net/http"
)

// generateRequest is vLLM's token-in GenerateRequest as the mock reads it
// (vLLM's examples/online_serving/token_generation_client.py sends it):
// token_ids, sampling_params.max_tokens, and stream, which must be false.
type generateRequest struct {
	Model          string `json:"model"`
	TokenIDs       []int  `json:"token_ids"`
	SamplingParams struct {
		MaxTokens *int `json:"max_tokens"`
	} `json:"sampling_params"`
	Stream bool `json:"stream"`
}

// handleGenerate serves POST /inference/v1/generate: choices[0].token_ids
// of the answer (ids counted up from 1000), no text.
func (s *Server) handleGenerate(w http.ResponseWriter, r *http.Request) {
	arrival, cfg, tr := s.begin(w, r, "vllm_generate")
	defer s.finish(tr)
	var req generateRequest
	err := func() error {
		if err := readJSON(w, r, &req); err != nil {
			return err
		}
		tr.Model = req.Model
		if err := checkModel(cfg, req.Model); err != nil {
			return err
		}
		if len(req.TokenIDs) == 0 {
			return invalid("token_ids must be a non-empty list of integers")
		}
		if req.Stream {
			return invalid("stream is not supported by /inference/v1/generate")
		}
		return nil
	}()
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	n, finish, err := outputLength(limitedBy("max_tokens", req.SamplingParams.MaxTokens), cfg, len(req.TokenIDs), s.uniform)
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	ids := make([]int, n)
	for i := range ids {
		ids[i] = 1000 + i
	}
	tr.CompletionTokens, tr.FinishReason = n, finish
	answer := map[string]any{"request_id": tr.RequestID,
		"choices": []any{map[string]any{"index": 0, "token_ids": ids, "finish_reason": finish}}}
	s.respondResults(w, r, cfg, arrival, n, tr, len(req.TokenIDs), answer)
}
