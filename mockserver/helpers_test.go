package mockserver

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"math/rand"
	"net/http"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
)

// start runs a mock server on loopback for one test.
func start(t *testing.T, cfg Config) *Running {
	t.Helper()
	r, err := Start(context.Background(), "", cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return r
}

// post sends a JSON body with an X-Request-ID and returns the response and its body.
func post(t *testing.T, url, id string, body any) (*http.Response, []byte) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	return postRaw(t, url, id, "application/json", b)
}

func postRaw(t *testing.T, url, id, contentType string, body []byte) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if id != "" {
		req.Header.Set("X-Request-ID", id)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body) // a dropped stream ends in an error; the bytes read still count
	return resp, data
}

// event is one parsed SSE data payload.
type event struct {
	raw   string
	chunk *wireChunk // nil when raw is not JSON
}

// wireChunk is a chat, completions or transcription chunk, or an error
// event, as a client decodes it.
type wireChunk struct {
	Object  string `json:"object"`
	Choices []struct {
		Delta        map[string]string `json:"delta"` // a map: the tests check which fields are sent
		FinishReason *string           `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
		TotalTokens      int `json:"total_tokens"`
		Details          struct {
			ReasoningTokens int `json:"reasoning_tokens"`
		} `json:"completion_tokens_details"`
	} `json:"usage"`
	Error *struct {
		Code int `json:"code"`
	} `json:"error"`
}

// parseSSE splits a stream body into its data payloads; JSON of another
// shape than a chunk's fails the test.
func parseSSE(t *testing.T, body []byte) []event {
	t.Helper()
	var out []event
	for _, block := range strings.Split(string(body), "\n\n") {
		if block == "" {
			continue
		}
		if !strings.HasPrefix(block, "data: ") {
			t.Fatalf("SSE block without data: %q", block)
		}
		e := event{raw: strings.TrimPrefix(block, "data: ")}
		if json.Valid([]byte(e.raw)) {
			e.chunk = new(wireChunk)
			if err := json.Unmarshal([]byte(e.raw), e.chunk); err != nil {
				t.Fatalf("event is not a chunk: %v: %s", err, e.raw)
			}
		}
		out = append(out, e)
	}
	return out
}

// finishOf returns choices[0].finish_reason ("" when there is none).
func finishOf(c *wireChunk) string {
	if c == nil || len(c.Choices) == 0 || c.Choices[0].FinishReason == nil {
		return ""
	}
	return *c.Choices[0].FinishReason
}

// deltaOf returns choices[0].delta (nil when there is none).
func deltaOf(c *wireChunk) map[string]string {
	if c == nil || len(c.Choices) == 0 {
		return nil
	}
	return c.Choices[0].Delta
}

// chatBody is a chat request with text and optional audio parts.
func chatBody(text string, stream bool, extra map[string]any, audioParts ...string) map[string]any {
	content := []any{map[string]any{"type": "text", "text": text}}
	for _, a := range audioParts {
		content = append(content, map[string]any{"type": "input_audio", "input_audio": map[string]any{"data": a, "format": "wav"}})
	}
	b := map[string]any{
		"model":    "m",
		"messages": []any{map[string]any{"role": "user", "content": content}},
		"stream":   stream,
	}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

// audioClip makes a base64 audio clip.
func audioClip(t *testing.T, format string) (string, []byte) {
	t.Helper()
	c, err := audio.Synthesize(audio.Params{Seconds: 0.2, SampleRate: 16000, Depth: 16, Channels: 1, Format: format}, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	return string(c.Base64), c.Data
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
