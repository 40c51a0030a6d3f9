package mockserver

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The Responses API's and TGI's streams go through the same schedule as
// chat's: the mock's faults strike them halfway, and a stream waiting for its
// first token counts as in prefill.
func TestEventStreamsTakeFaultsAndPrefill(t *testing.T) {
	const n = 8
	apis := []struct {
		name, path string
		body       map[string]any
		end        string // what only a whole stream ends with
	}{
		{"responses", "/v1/responses", map[string]any{"model": "m", "input": "a b", "stream": true, "max_output_tokens": n}, "response.completed"},
		{"tgi", "/generate_stream", map[string]any{"inputs": "a b", "parameters": map[string]any{"max_new_tokens": n}}, `"generated_text":"`},
	}
	for _, api := range apis {
		for _, tc := range []struct {
			name   string
			faults Faults
			chunks int
			status int
		}{
			{"none", Faults{}, n, 200},
			{"error500", Faults{Error500: 1}, 0, 500},
			{"truncate", Faults{Truncate: 1}, n / 2, 200},
			{"drop", Faults{DropMidStream: 1}, n / 2, 200},
			{"error event", Faults{ErrorEvent: 1}, n / 2, 200},
		} {
			t.Run(api.name+"/"+tc.name, func(t *testing.T) {
				srv := start(t, Config{Faults: tc.faults, ITL: time.Millisecond})
				resp, body := post(t, srv.URL+api.path, "f", api.body)
				tr, _ := srv.Server.Truth("f")
				if resp.StatusCode != tc.status || len(tr.ChunkNs) != tc.chunks {
					t.Fatalf("status %d, %d chunks; want %d, %d: %s", resp.StatusCode, len(tr.ChunkNs), tc.status, tc.chunks, body)
				}
				if whole := strings.Contains(string(body), api.end); whole != (tc.chunks == n) {
					t.Errorf("stream ends whole: %v, want %v: %s", whole, tc.chunks == n, body)
				}
				if tc.name == "error event" && !strings.Contains(string(body), `"error"`) {
					t.Errorf("no error event: %s", body)
				}
			})
		}
		t.Run(api.name+"/prefill", func(t *testing.T) {
			srv := start(t, Config{TTFT: time.Second, OutputTokens: 2})
			var wg sync.WaitGroup
			for i := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if resp, body := post(t, srv.URL+api.path, fmt.Sprint("p", i), api.body); resp.StatusCode != http.StatusOK {
						t.Errorf("status %d: %s", resp.StatusCode, body)
					}
				}()
			}
			wg.Wait()
			if got := srv.Server.MaxInPrefill(); got != 2 {
				t.Errorf("MaxInPrefill %d, want the 2 streams sent together", got)
			}
		})
	}
}

// A stream asked under the wrong-content-type fault is answered whole, with
// the body the same request gets when it does not ask to stream.
func TestWrongContentTypeAnswersWhole(t *testing.T) {
	_, wav := audioClip(t, "wav")
	apis := []struct {
		name, streamPath, wholePath string
		stream, whole               map[string]any
	}{
		{"chat", "/v1/chat/completions", "/v1/chat/completions", chatBody("a b", true, map[string]any{"max_tokens": 3}), chatBody("a b", false, map[string]any{"max_tokens": 3})},
		{"responses", "/v1/responses", "/v1/responses",
			map[string]any{"model": "m", "input": "a b", "stream": true, "max_output_tokens": 3},
			map[string]any{"model": "m", "input": "a b", "max_output_tokens": 3}},
		{"tgi", "/generate_stream", "/generate",
			map[string]any{"inputs": "a b", "parameters": map[string]any{"max_new_tokens": 3}},
			map[string]any{"inputs": "a b", "parameters": map[string]any{"max_new_tokens": 3}}},
		{"sglang", "/generate", "/generate",
			map[string]any{"input_ids": []int{1, 2}, "sampling_params": map[string]any{"max_new_tokens": 3}, "stream": true},
			map[string]any{"input_ids": []int{1, 2}, "sampling_params": map[string]any{"max_new_tokens": 3}}},
		{"transcription", "/v1/audio/transcriptions", "/v1/audio/transcriptions",
			map[string]any{"file": wav, "model": "whisper", "stream": "true"},
			map[string]any{"file": wav, "model": "whisper"}},
	}
	faulty := start(t, Config{Faults: Faults{WrongContentType: 1}})
	healthy := start(t, Config{})
	for _, api := range apis {
		t.Run(api.name, func(t *testing.T) {
			resp, got := postAPI(t, faulty.URL+api.streamPath, "w", api.stream)
			_, want := postAPI(t, healthy.URL+api.wholePath, "w", api.whole)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("status %d, content type %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), got)
			}
			if api.name == "chat" { // its created time may differ by a second
				got, want = created.ReplaceAll(got, nil), created.ReplaceAll(want, nil)
			}
			if string(got) != string(want) {
				t.Errorf("answer\n%s\nwant the whole answer\n%s", got, want)
			}
			if tr, _ := faulty.Server.Truth("w"); len(tr.ChunkNs) != 1 || tr.Fault != "wrong_content_type" {
				t.Errorf("truth: %d chunks, fault %q; want 1, wrong_content_type", len(tr.ChunkNs), tr.Fault)
			}
		})
	}
}

// postAPI posts body as JSON, or as a transcription form when it holds a file.
func postAPI(t *testing.T, url, id string, body map[string]any) (*http.Response, []byte) {
	t.Helper()
	file, ok := body["file"].([]byte)
	if !ok {
		return post(t, url, id, body)
	}
	fields := map[string]string{}
	for k, v := range body {
		if s, ok := v.(string); ok {
			fields[k] = s
		}
	}
	ct, b := form(t, file, fields)
	return postRaw(t, url, id, ct, b)
}

var created = regexp.MustCompile(`"created":\d+`)
