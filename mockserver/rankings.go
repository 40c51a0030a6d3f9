package mockserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
)

// rankingsRequest is what the mock reads of the three rankings payloads:
// NIM's {"query": {"text"}, "passages": [{"text"}]}, TEI's {"query", "texts"}
// and Cohere's {"query", "documents"}.
type rankingsRequest struct {
	Model    string          `json:"model"`
	Query    json.RawMessage `json:"query"`
	Passages []struct {
		Text string `json:"text"`
	} `json:"passages"`
	Texts     []string `json:"texts"`
	Documents []string `json:"documents"`
}

// scored is one passage's relevance to the query.
type scored struct {
	index int
	score float64
}

// handleRanking serves POST /v1/ranking (NIM), /rerank (TEI) and /v2/rerank
// (Cohere): each passage scored by the words it shares with the query, best
// first, in the API's own answer shape.
func (s *Server) handleRanking(api string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		arrival, cfg, tr := s.begin(w, r, api)
		defer s.finish(tr)
		query, passages, model, err := readRanking(w, r, api)
		tr.Model = model
		if err == nil && api != "hf_tei_rankings" { // TEI's /rerank takes no model
			err = checkModel(cfg, model)
		}
		if err != nil {
			s.reject(w, err, tr)
			return
		}
		tr.Inputs = len(passages)
		ranked, words := rank(query, passages)
		s.respondResults(w, r, cfg, arrival, 0, tr, words, rankingBody(api, tr.RequestID, ranked))
	}
}

// readRanking decodes and checks one rankings payload of api.
func readRanking(w http.ResponseWriter, r *http.Request, api string) (query string, passages []string, model string, err error) {
	var req rankingsRequest
	if err := readJSON(w, r, &req); err != nil {
		return "", nil, "", err
	}
	q := bytes.TrimSpace(req.Query)
	switch api {
	case "nim_rankings":
		var obj struct{ Text *string }
		if json.Unmarshal(q, &obj) != nil || obj.Text == nil {
			return "", nil, req.Model, invalid(`query must be {"text": ...}`)
		}
		query = *obj.Text
		for _, p := range req.Passages {
			passages = append(passages, p.Text)
		}
	default:
		var obj struct{ Text *string }
		switch {
		case json.Unmarshal(q, &query) == nil:
		case api == "cohere_rankings" && json.Unmarshal(q, &obj) == nil && obj.Text != nil:
			query = *obj.Text // AIPerf's cohere_rerank sends NIM's {"text"}; Cohere itself wants a string
		default:
			return "", nil, req.Model, invalid("query must be a string")
		}
		passages = req.Documents
		if api == "hf_tei_rankings" {
			passages = req.Texts
		}
	}
	if len(passages) == 0 {
		return "", nil, req.Model, invalid("no passages to rank")
	}
	return query, passages, req.Model, nil
}

// rank scores passages by the share of their words found in the query.
func rank(query string, passages []string) ([]scored, int) {
	inQuery := map[string]bool{}
	words := 0
	for _, w := range strings.Fields(query) {
		inQuery[w] = true
		words++
	}
	out := make([]scored, len(passages))
	for i, p := range passages {
		fields := strings.Fields(p)
		words += len(fields)
		shared := 0
		for _, w := range fields {
			if inQuery[w] {
				shared++
			}
		}
		out[i] = scored{index: i, score: float64(shared) / float64(max(len(fields), 1))}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].score > out[b].score })
	return out, words
}

// rankingBody is the ranked passages in api's answer shape.
func rankingBody(api, id string, ranked []scored) any {
	switch api {
	case "nim_rankings":
		out := make([]map[string]any, len(ranked))
		for i, r := range ranked {
			out[i] = map[string]any{"index": r.index, "logit": r.score}
		}
		return map[string]any{"rankings": out}
	case "hf_tei_rankings":
		out := make([]map[string]any, len(ranked))
		for i, r := range ranked {
			out[i] = map[string]any{"index": r.index, "score": r.score}
		}
		return out
	default:
		out := make([]map[string]any, len(ranked))
		for i, r := range ranked {
			out[i] = map[string]any{"index": r.index, "relevance_score": r.score}
		}
		return map[string]any{"id": id, "results": out, "meta": map[string]any{"api_version": map[string]string{"version": "2"}}}
	}
}
