package mockserver

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
)

// readCohereEmbed reads POST /v2/embed as Cohere's Embed v2 API does (and
// vLLM's Cohere-compatible /v2/embed, vllm/entrypoints/cohere/): texts, or
// inputs whose content holds text and image_url parts, one vector each.
func readCohereEmbed(body []byte, req *embedRequest) error {
	var v struct {
		Model          string   `json:"model"`
		Texts          []string `json:"texts"`
		EmbeddingTypes []string `json:"embedding_types"`
		Inputs         []struct {
			Content json.RawMessage `json:"content"`
		} `json:"inputs"`
	}
	if err := decodeJSON(body, &v); err != nil {
		return err
	}
	req.model = v.Model
	if len(v.EmbeddingTypes) > 0 && !slices.Contains(v.EmbeddingTypes, "float") {
		return invalid("the mock embeds as float only, asked %s", clip.Quote(strings.Join(v.EmbeddingTypes, ",")))
	}
	switch {
	case len(v.Texts) > 0 && len(v.Inputs) > 0:
		return invalid("give texts or inputs, not both")
	case len(v.Texts) > 0:
		req.items = v.Texts
		for _, t := range v.Texts {
			req.p.words += len(strings.Fields(t))
		}
	case len(v.Inputs) > 0:
		for i, in := range v.Inputs {
			texts, err := messageTexts(message{Content: in.Content}, &req.p)
			if err != nil {
				return invalid("inputs[%d]: %v", i, err)
			}
			req.p.words += len(strings.Fields(strings.Join(texts, " ")))
			req.items = append(req.items, string(in.Content))
		}
	default:
		return invalid("texts or inputs is required")
	}
	return nil
}

// cohereEmbeddings answers as Cohere: the vectors under embeddings.float,
// usage as meta.billed_units.
func cohereEmbeddings(req *embedRequest, id string, vectors [][]float64) any {
	return map[string]any{
		"id":            id,
		"embeddings":    map[string]any{"float": vectors},
		"response_type": "embeddings_by_type",
		"meta": map[string]any{
			"api_version":  map[string]string{"version": "2"},
			"billed_units": map[string]int{"input_tokens": req.p.words},
		},
	}
}
