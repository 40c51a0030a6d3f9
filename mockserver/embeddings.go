package mockserver

import (
	"encoding/json"
	"hash/fnv"
	"net/http"
	"strings"
)

// embeddingDims is the length of the mock's embedding vectors.
const embeddingDims = 8

// embedRequest is what the mock reads of an embeddings request: the model,
// the items to embed (one vector each) and the prompt's words and images.
type embedRequest struct {
	model   string
	noModel bool // the API takes none (NIM's /v1/infer)
	items   []string
	p       prompt
}

// serveEmbeddings answers an embeddings API: read parses its body, answer
// lays out its reply from the request and one vector per item.
func (s *Server) serveEmbeddings(api string, read func(body []byte, req *embedRequest) error, answer func(req *embedRequest, id string, vectors [][]float64) any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		arrival, cfg, tr := s.begin(w, r, api)
		defer s.finish(tr)
		var req embedRequest
		err := func() error {
			body, err := readBody(w, r)
			if err != nil {
				return err
			}
			if err := read(body, &req); err != nil {
				return err
			}
			tr.Model = req.model
			if req.noModel {
				return nil
			}
			return checkModel(cfg, req.model)
		}()
		if err != nil {
			s.reject(w, err, tr)
			return
		}
		tr.Inputs, tr.Images = len(req.items), req.p.images
		vectors := make([][]float64, len(req.items))
		for i, item := range req.items {
			vectors[i] = embed(item)
		}
		s.respondResults(w, r, cfg, arrival, 0, tr, req.p.words, answer(&req, tr.RequestID, vectors))
	}
}

// handleEmbeddings serves POST /v1/embeddings as OpenAI does: one embedding
// per input text, in a list, with usage; never streamed. A text may hold
// NIM's image tags, <img src='URL'/>, whose images are checked. Chat
// messages in place of input get one embedding for them all, as vLLM's
// EmbeddingChatRequest (vllm/entrypoints/openai/protocol.py).
func (s *Server) handleEmbeddings(w http.ResponseWriter, r *http.Request) {
	s.serveEmbeddings("embeddings", readOpenAIEmbeddings, openAIEmbeddings)(w, r)
}

func readOpenAIEmbeddings(body []byte, req *embedRequest) error {
	var v struct {
		Model    string          `json:"model"`
		Input    json.RawMessage `json:"input"`
		Messages []message       `json:"messages"`
	}
	if err := decodeJSON(body, &v); err != nil {
		return err
	}
	req.model = v.Model
	if len(v.Messages) > 0 {
		p, err := readPrompt(v.Messages)
		req.p, req.items = p, []string{string(body)}
		return err
	}
	texts, err := stringOrList("input", v.Input)
	if err != nil {
		return err
	}
	req.items = texts
	for _, t := range texts {
		if err := req.p.addTagged(t); err != nil {
			return invalid("input: %v", err)
		}
	}
	return nil
}

func openAIEmbeddings(req *embedRequest, _ string, vectors [][]float64) any {
	type embedding struct {
		Object    string    `json:"object"`
		Embedding []float64 `json:"embedding"`
		Index     int       `json:"index"`
	}
	data := make([]embedding, len(vectors))
	for i, v := range vectors {
		data[i] = embedding{Object: "embedding", Embedding: v, Index: i}
	}
	return map[string]any{
		"object": "list", "data": data, "model": req.model,
		"usage": map[string]int{"prompt_tokens": req.p.words, "total_tokens": req.p.words},
	}
}

// addTagged counts a text's words and checks the images of its NIM tags
// (<img src='URL'/>), which are not words.
func (p *prompt) addTagged(text string) error {
	for {
		start := strings.Index(text, "<img src='")
		if start < 0 {
			break
		}
		rest := text[start+len("<img src='"):]
		end := strings.Index(rest, "'/>")
		if end < 0 {
			break
		}
		if err := p.addImage(rest[:end], ""); err != nil {
			return err
		}
		p.words += len(strings.Fields(text[:start]))
		text = rest[end+len("'/>"):]
	}
	p.words += len(strings.Fields(text))
	return nil
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
