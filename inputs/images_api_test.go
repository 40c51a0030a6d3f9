package inputs

import (
	"encoding/json"
	"strings"
	"testing"
)

// Image generation bodies are AIPerf's ImageGenerationEndpoint payload
// (openai_image_generation.py): prompt (the first text), model,
// response_format b64_json, n 1, stream only when streaming, then the extras
// updating in place.
func TestImageGenerationBody(t *testing.T) {
	cases := []struct {
		args []string
		keys string
		want map[string]string // key: its exact JSON value
	}{
		{nil, "prompt,model,response_format,n", map[string]string{"model": `"dall"`, "response_format": `"b64_json"`, "n": "1"}},
		{[]string{"--streaming"}, "prompt,model,response_format,n,stream", map[string]string{"stream": "true"}},
		{[]string{"--extra-inputs", `{"n":2,"size":"512x512","response_format":"url"}`}, "prompt,model,response_format,n,size",
			map[string]string{"n": "2", "size": `"512x512"`, "response_format": `"url"`}},
	}
	for _, c := range cases {
		for _, tr := range firstTurns(t, 3, []string{"-m", "dall", "--endpoint-type", "image_generation", "--isl", "9", "--num-dataset-entries", "2"}, c.args...) {
			body := tr.Body.Bytes()
			checkFields(t, c.args, body, c.keys, c.want)
			var b struct{ Prompt string }
			if err := json.Unmarshal(body, &b); err != nil || len(strings.Fields(b.Prompt)) != 9 {
				t.Fatalf("%v: prompt %q (%v), want a text of 9 words", c.args, b.Prompt, err)
			}
			if tr.ContentType != ContentTypeJSON {
				t.Fatalf("%v: content type %q", c.args, tr.ContentType)
			}
		}
	}
}
