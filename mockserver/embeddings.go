package mockserver

import (
	"encoding/json"
	"hash/fnv"
	"net/http"
	"strings"
)

// embeddingDims is the length of the mock's embedding vectors.
const embeddingDims = 8

// handleEmbeddings serves POST /v1/embeddings as OpenAI does: one embedding
// per input text, in a list, with usage; never streamed.
func (s *Server) handleEmbeddings(w http.ResponseWriter, r *http.Request) {
	arrival, cfg, tr := s.begin(w, r, "embeddings")
	defer s.finish(tr)
	var req struct {
		Model string          `json:"model"`
		Input json.RawMessage `json:"input"`
	}
	texts, err := func() ([]string, error) {
		body, err := readBody(w, r)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(body, &req); err != nil {
			return nil, invalid("bad JSON body: %v", err)
		}
		tr.Model = req.Model
		if err := checkModel(cfg, req.Model); err != nil {
			return nil, err
		}
		return stringOrList("input", req.Input)
	}()
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	tr.Inputs = len(texts)
	type embedding struct {
		Object    string    `json:"object"`
		Embedding []float64 `json:"embedding"`
		Index     int       `json:"index"`
	}
	data := make([]embedding, len(texts))
	words := 0
	for i, t := range texts {
		data[i] = embedding{Object: "embedding", Embedding: embed(t), Index: i}
		words += len(strings.Fields(t))
	}
	s.respondResults(w, r, cfg, arrival, tr, words, map[string]any{
		"object": "list", "data": data, "model": req.Model,
		"usage": map[string]int{"prompt_tokens": words, "total_tokens": words},
	})
}

// embed is a text's deterministic stand-in embedding, in [-1, 1).
func embed(text string) []float64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(text))
	x := h.Sum64()
	v := make([]float64, embeddingDims)
	for i := range v {
		x = x*6364136223846793005 + 1442695040888963407
		v[i] = float64(x>>11)/float64(1<<53)*2 - 1
	}
	return v
}
