package mockserver

import (
	"encoding/json"
	"testing"
)

// The embeddings APIs answer one vector per item in their own shape and
// check the images they carry: NIM's <img src='URL'/> tags in OpenAI's
// input list, Cohere's image_url parts of inputs.
func TestEmbeddingsAPIs(t *testing.T) {
	png := "data:image/png;base64," + encoded(t, "png", 3, 2)
	cases := []struct {
		name, path string
		body       any
		vectors    func(reply []byte) int
		inputs     int
		images     []string
		words      int
	}{
		{"openai", "/v1/embeddings", map[string]any{"model": "m", "input": []string{"a b", "c"}}, openAIVectors, 2, nil, 3},
		{"nim tags", "/v1/embeddings", map[string]any{"model": "m", "input": []string{"a b <img src='" + png + "'/>", "<img src='" + png + "'/>"}}, openAIVectors, 2, []string{"png 3x2", "png 3x2"}, 2},
		{"cohere texts", "/v2/embed", map[string]any{"model": "m", "embedding_types": []string{"float"}, "texts": []string{"a", "b c", "d"}}, cohereVectors, 3, nil, 4},
		{"cohere inputs", "/v2/embed", map[string]any{"model": "m", "embedding_types": []string{"float"}, "inputs": []any{
			map[string]any{"content": []any{map[string]any{"type": "text", "text": "x y"}, imagePart(png)}},
		}}, cohereVectors, 1, []string{"png 3x2"}, 2},
		{"vllm chat", "/v1/embeddings", map[string]any{"model": "m", "messages": []any{
			map[string]any{"role": "user", "content": []any{map[string]any{"type": "text", "text": "p q r"}, imagePart(png)}},
		}}, openAIVectors, 1, []string{"png 3x2"}, 3},
		{"nim infer", "/v1/infer", map[string]any{"input": []any{
			map[string]any{"type": "image_url", "url": png}, map[string]any{"type": "image_url", "url": png},
		}}, detections, 2, []string{"png 3x2", "png 3x2"}, 0},
	}
	srv := start(t, Config{})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, reply := post(t, srv.URL+c.path, c.name, c.body)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, reply)
			}
			if n := c.vectors(reply); n != c.inputs {
				t.Errorf("%d vectors, want %d: %s", n, c.inputs, reply)
			}
			tr, _ := srv.Server.Truth(c.name)
			if tr.Inputs != c.inputs || len(tr.Images) != len(c.images) || tr.PromptTokens != c.words {
				t.Errorf("truth: %d inputs, images %q, %d words; want %d, %q, %d", tr.Inputs, tr.Images, tr.PromptTokens, c.inputs, c.images, c.words)
			}
			for i := range c.images {
				if i < len(tr.Images) && tr.Images[i] != c.images[i] {
					t.Errorf("image %d is %q, want %q", i, tr.Images[i], c.images[i])
				}
			}
		})
	}
	bad := map[string]any{"model": "m", "input": []string{"<img src='data:image/png;base64,AAAA'/>"}}
	if resp, _ := post(t, srv.URL+"/v1/embeddings", "", bad); resp.StatusCode != 400 {
		t.Errorf("a broken image in a tag is %d, want 400", resp.StatusCode)
	}
	link := map[string]any{"input": []any{map[string]any{"type": "image_url", "url": "https://example.invalid/a.png"}}}
	if resp, _ := post(t, srv.URL+"/v1/infer", "", link); resp.StatusCode != 400 {
		t.Errorf("an image link to /v1/infer is %d, want 400 (NIM takes data URLs)", resp.StatusCode)
	}
}

func openAIVectors(reply []byte) int {
	var v struct {
		Data []struct {
			Object    string
			Embedding []float64
		}
	}
	_ = json.Unmarshal(reply, &v)
	n := 0
	for _, d := range v.Data {
		if d.Object == "embedding" && len(d.Embedding) == embeddingDims {
			n++
		}
	}
	return n
}

func cohereVectors(reply []byte) int {
	var v struct {
		Embeddings struct{ Float [][]float64 }
		Meta       struct {
			BilledUnits struct {
				InputTokens *int `json:"input_tokens"`
			} `json:"billed_units"`
		}
	}
	if json.Unmarshal(reply, &v) != nil || v.Meta.BilledUnits.InputTokens == nil {
		return -1
	}
	return len(v.Embeddings.Float)
}

func detections(reply []byte) int {
	var v struct {
		Data []struct {
			BoundingBoxes map[string][]struct {
				XMin float64 `json:"x_min"`
				XMax float64 `json:"x_max"`
			} `json:"bounding_boxes"`
		}
	}
	_ = json.Unmarshal(reply, &v)
	n := 0
	for _, d := range v.Data {
		if b := d.BoundingBoxes["table"]; len(b) == 1 && b[0].XMin < b[0].XMax {
			n++
		}
	}
	return n
}
