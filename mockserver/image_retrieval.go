package mockserver

import (
	"strings"
)

// readImageRetrieval reads POST /v1/infer as NVIDIA's NIM for Object
// Detection does (nemoretriever-page-elements; its API reference at
// docs.nvidia.com/nim/ingestion/object-detection): base64 data URL images,
// no model. imageDetections answers per image its index and boxes by label.
func readImageRetrieval(body []byte, req *embedRequest) error {
	var v struct {
		Input []struct {
			Type string `json:"type"`
			URL  string `json:"url"`
		} `json:"input"`
	}
	if err := decodeJSON(body, &v); err != nil {
		return err
	}
	req.noModel = true
	if len(v.Input) == 0 {
		return invalid("input: at least one image is required")
	}
	for i, in := range v.Input {
		if in.Type != "image_url" || !strings.HasPrefix(in.URL, "data:image/") {
			return invalid("input[%d]: want {\"type\": \"image_url\", \"url\": a base64 data URL}", i)
		}
		if err := req.p.addImage(in.URL, ""); err != nil {
			return invalid("input[%d]: %v", i, err)
		}
		req.items = append(req.items, in.URL)
	}
	return nil
}

// imageDetections answers one detection a label per image, boxes in [0, 1]
// drawn from the image's stand-in vector.
func imageDetections(_ *embedRequest, _ string, vectors [][]float64) any {
	data := make([]map[string]any, len(vectors))
	for i, v := range vectors {
		box := func(j int) map[string]float64 {
			x, y := (v[j]+1)/4, (v[j+1]+1)/4 // in [0, 0.5)
			return map[string]float64{"x_min": x, "y_min": y, "x_max": x + 0.5, "y_max": y + 0.5, "confidence": (v[j+2] + 1) / 2}
		}
		data[i] = map[string]any{"index": i, "bounding_boxes": map[string]any{
			"table": []any{box(0)}, "chart": []any{box(3)}, "title": []any{box(5)},
		}}
	}
	return map[string]any{"data": data}
}
