package mockserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// postMessages posts a Messages API body with the anthropic-version header
// (or without it, version ""), returning the status and the body.
func postMessages(t *testing.T, url, version string, body map[string]any) (int, string) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, url+"/v1/messages", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if version != "" {
		req.Header.Set("Anthropic-Version", version)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// The mock's /v1/messages answers as Anthropic's API: the version header and
// max_tokens are required; streamed, the reasoning tokens are a thinking block
// before the text block, the output usage comes in message_delta and
// message_stop ends; whole, the same blocks in content.
func TestMessagesAPI(t *testing.T) {
	srv := start(t, Config{ReasoningTokens: 2, ITL: time.Millisecond})
	req := map[string]any{"model": "m", "max_tokens": 5, "system": "be brief", "stream": true,
		"messages": []any{map[string]any{"role": "user", "content": "a b c"}}}
	if code, body := postMessages(t, srv.URL, "", req); code != http.StatusBadRequest || !strings.Contains(body, "anthropic-version") {
		t.Errorf("no version header: %d %s", code, body)
	}
	delete(req, "max_tokens")
	if code, body := postMessages(t, srv.URL, "2023-06-01", req); code != http.StatusBadRequest || !strings.Contains(body, "max_tokens") {
		t.Errorf("no max_tokens: %d %s", code, body)
	}
	req["max_tokens"] = 5
	code, body := postMessages(t, srv.URL, "2023-06-01", req)
	var events []string
	for _, line := range strings.Split(body, "\n") {
		if name, ok := strings.CutPrefix(line, "event: "); ok {
			events = append(events, name)
		}
	}
	want := "message_start content_block_start ping content_block_delta content_block_delta content_block_delta content_block_stop " +
		"content_block_start content_block_delta content_block_delta content_block_delta content_block_stop message_delta message_stop"
	if code != http.StatusOK || strings.Join(events, " ") != want || strings.Count(body, `"thinking_delta"`) != 2 ||
		strings.Count(body, `"text_delta"`) != 3 || !strings.Contains(body, `"usage":{"output_tokens":5}`) || !strings.Contains(body, `"input_tokens":5`) {
		t.Errorf("stream %d, events %v:\n%s", code, events, body)
	}
	req["stream"] = false
	code, body = postMessages(t, srv.URL, "2023-06-01", req)
	var whole struct {
		Type    string
		Content []map[string]any
		Usage   map[string]int
	}
	if err := json.Unmarshal([]byte(body), &whole); err != nil || code != http.StatusOK || whole.Type != "message" || len(whole.Content) != 2 ||
		whole.Content[0]["type"] != "thinking" || whole.Content[1]["type"] != "text" || whole.Usage["output_tokens"] != 5 {
		t.Errorf("whole %d: %s (%v)", code, body, err)
	}
}
