package mockserver

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"net/http"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
)

// limitAPI is a request of an API the mock serves that takes an output
// limit: body asks for n tokens in the API's field.
type limitAPI struct {
	name, path, field string
	body              func(n int) map[string]any
}

// limitAPIs are every API of the mock with an output limit.
var limitAPIs = []limitAPI{
	{"chat", "/v1/chat/completions", "max_tokens", func(n int) map[string]any {
		return chatBody("a b", false, map[string]any{"max_tokens": n})
	}},
	{"chat streamed", "/v1/chat/completions", "max_completion_tokens", func(n int) map[string]any {
		return chatBody("a b", true, map[string]any{"max_completion_tokens": n})
	}},
	{"chat min_tokens", "/v1/chat/completions", "min_tokens", func(n int) map[string]any {
		return chatBody("a b", false, map[string]any{"min_tokens": n})
	}},
	{"completions", "/v1/completions", "max_tokens", func(n int) map[string]any {
		return map[string]any{"model": "m", "prompt": "a b", "max_tokens": n}
	}},
	{"responses", "/v1/responses", "max_output_tokens", func(n int) map[string]any {
		return map[string]any{"model": "m", "input": "a b", "max_output_tokens": n}
	}},
	{"messages", "/v1/messages", "max_tokens", func(n int) map[string]any {
		return map[string]any{"model": "m", "max_tokens": n, "messages": []any{map[string]any{"role": "user", "content": "a b"}}}
	}},
	{"tgi", "/generate", "max_new_tokens", func(n int) map[string]any {
		return map[string]any{"inputs": "a b", "parameters": map[string]any{"max_new_tokens": n}}
	}},
	{"tgi streamed", "/generate_stream", "max_new_tokens", func(n int) map[string]any {
		return map[string]any{"inputs": "a b", "parameters": map[string]any{"max_new_tokens": n}}
	}},
	{"sglang", "/generate", "max_new_tokens", func(n int) map[string]any {
		return map[string]any{"input_ids": []int{1, 2}, "sampling_params": map[string]any{"max_new_tokens": n}}
	}},
	{"vllm generate", "/inference/v1/generate", "max_tokens", func(n int) map[string]any {
		return map[string]any{"model": "m", "token_ids": []int{1, 2}, "sampling_params": map[string]any{"max_tokens": n}}
	}},
}

// send posts the API's body asking for n tokens (the Messages API with its
// version header) and returns the status and body.
func (api limitAPI) send(t *testing.T, url string, n int) (int, []byte) {
	t.Helper()
	if api.path == "/v1/messages" {
		code, body := postMessages(t, url, "2023-06-01", api.body(n))
		return code, []byte(body)
	}
	resp, body := post(t, url+api.path, "", api.body(n))
	return resp.StatusCode, body
}

// A limit beyond the mock's longest answer is refused with vLLM's 400 naming
// the limit, before anything is built (2147483648 tokens once ran the mock
// out of memory); the longest answer itself is served.
func TestOutputLimitBeyondTheLongestAnswerIs400(t *testing.T) {
	byDefault := start(t, Config{})
	small := start(t, Config{MaxOutputTokens: 5})
	for _, api := range limitAPIs {
		for _, tc := range []struct {
			srv  *Running
			n    int
			code int
		}{
			{byDefault, 2147483648, http.StatusBadRequest},
			{byDefault, 99999999999999, http.StatusBadRequest}, // a BurstGPT row's Response tokens
			{byDefault, DefaultMaxOutputTokens + 1, http.StatusBadRequest},
			{small, 6, http.StatusBadRequest},
			{small, 5, http.StatusOK},
		} {
			code, body := api.send(t, tc.srv.URL, tc.n)
			if code != tc.code {
				t.Errorf("%s %s %d: status %d %s, want %d", api.name, api.field, tc.n, code, body, tc.code)
				continue
			}
			if code == http.StatusOK {
				continue
			}
			var e apiError
			want := fmt.Sprintf("%s is too large: %d.", api.field, tc.n)
			if json.Unmarshal(body, &e) != nil || e.Error.Code != code || e.Error.Type != "BadRequestError" || !strings.Contains(e.Error.Message, want) {
				t.Errorf("%s %s %d: body %s, want a BadRequestError saying %q", api.name, api.field, tc.n, body, want)
			}
		}
	}
}

// An answer the mock would make longer than its longest answer without a
// limit (a long prompt, a long clip) stops there.
func TestAnswerWithoutLimitStopsAtTheLongest(t *testing.T) {
	srv := start(t, Config{MaxOutputTokens: 5})
	long := strings.Repeat("word ", 40)
	clip, err := audio.Synthesize(audio.Params{Seconds: 4, SampleRate: 8000, Depth: 16, Channels: 1, Format: "wav"}, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	ct, form := form(t, clip.Data, map[string]string{"model": "whisper"}) // 4 s: 10 words without the cap
	for _, tc := range []struct {
		name, path, id string
		send           func(id string) int
	}{
		{"chat", "/v1/chat/completions", "chat-long", func(id string) int {
			resp, _ := post(t, srv.URL+"/v1/chat/completions", id, chatBody(long, false, nil))
			return resp.StatusCode
		}},
		{"solido", "/rag/api/prompt", "solido-long", func(id string) int {
			resp, _ := post(t, srv.URL+"/rag/api/prompt", id, map[string]any{"query": long})
			return resp.StatusCode
		}},
		{"transcription", "/v1/audio/transcriptions", "tx-long", func(id string) int {
			resp, _ := postRaw(t, srv.URL+"/v1/audio/transcriptions", id, ct, form)
			return resp.StatusCode
		}},
	} {
		code := tc.send(tc.id)
		if tr, _ := srv.Server.Truth(tc.id); code != http.StatusOK || tr.CompletionTokens != 5 {
			t.Errorf("%s: status %d, %d tokens, want 200 and 5", tc.name, code, tr.CompletionTokens)
		}
	}
}

// The mock's own output length must fit its longest answer, which has a
// ceiling of its own: the mock refuses to start otherwise, and /configure
// refuses such a change.
func TestOutputTokensAboveTheLongestAreRefused(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{OutputTokens: 2147483648}, "output tokens 2147483648 are more than the max output tokens, 131072 (the mock's longest answer)"},
		{Config{OutputTokens: DefaultMaxOutputTokens + 1}, "output tokens 131073 are more than the max output tokens, 131072 (the mock's longest answer)"},
		{Config{OutputTokens: 11, MaxOutputTokens: 10}, "output tokens 11 are more than the max output tokens, 10 (the mock's longest answer)"},
		{Config{MaxOutputTokens: MaxOutputTokensCeiling + 1}, "max output tokens 1048577 are more than the mock allows, 1048576"},
		{Config{MaxOutputTokens: -1}, "token counts must not be negative"},
		{Config{OutputTokens: 10, MaxOutputTokens: 10}, ""},
		{Config{OutputTokens: DefaultMaxOutputTokens}, ""},
	} {
		if got := errText(tc.cfg.Validate()); got != tc.want {
			t.Errorf("%+v: Validate = %q, want %q", tc.cfg, got, tc.want)
		}
		r, err := Start(t.Context(), "", tc.cfg, nil)
		if err == nil {
			_ = r.Close()
		}
		if (err != nil) != (tc.want != "") {
			t.Errorf("%+v: Start = %v, want it to fail: %v", tc.cfg, err, tc.want != "")
		}
	}
	srv := start(t, Config{})
	for body, want := range map[string]string{
		`{"output_tokens":2147483648}`:              "output tokens 2147483648 are more than",
		`{"output_tokens":6,"max_output_tokens":5}`: "output tokens 6 are more than the max output tokens, 5",
		`{"max_output_tokens":2147483648}`:          "max output tokens 2147483648 are more than the mock allows",
	} {
		resp, out := postRaw(t, srv.URL+"/configure", "", "application/json", []byte(body))
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(out), want) {
			t.Errorf("POST /configure %s: %d %s, want 400 %q", body, resp.StatusCode, out, want)
		}
	}
	resp, out := postRaw(t, srv.URL+"/configure", "", "application/json", []byte(`{"max_output_tokens":7}`))
	var got configJSON
	if resp.StatusCode != http.StatusOK || json.Unmarshal(out, &got) != nil || got.MaxOutputTokens != 7 {
		t.Errorf("POST /configure max_output_tokens 7: %d %s", resp.StatusCode, out)
	}
}
