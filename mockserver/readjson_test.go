package mockserver

import (
	"net/http"
	"strings"
	"testing"
)

// A body of the wrong shape is a 400 that says which field is wrong, on
// every API that reads JSON (not a bare "bad JSON body").
func TestBadJSONSaysWhy(t *testing.T) {
	srv := start(t, Config{})
	for _, tc := range []struct {
		name, path, body, want string
	}{
		{"images", "/v1/images/generations", `{"prompt":"a cat","n":"two"}`, "imageRequest.n of type int"},
		{"videos", "/v1/videos", `{"prompt":1}`, "Prompt of type string"},
		{"tgi", "/generate_stream", `{"inputs":"a b","parameters":{"max_new_tokens":"3"}}`, "max_new_tokens of type int"},
		{"sglang", "/generate", `{"input_ids":["a"]}`, "input_ids of type int"},
		{"sglang without input_ids", "/generate", `{"input_ids":[],"stream":true}`, "input_ids must be a non-empty list of integers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, out := postRaw(t, srv.URL+tc.path, "", "application/json", []byte(tc.body))
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(out), tc.want) {
				t.Errorf("HTTP %d %s; want 400 saying %q", resp.StatusCode, out, tc.want)
			}
		})
	}
}
