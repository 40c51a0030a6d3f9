package mockserver

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestChatAudioAccepted(t *testing.T) {
	srv := start(t, Config{OutputTokens: 2})
	wav, wavRaw := audioClip(t, "wav")
	mp3, mp3Raw := audioClip(t, "mp3")
	resp, body := post(t, srv.URL+"/v1/chat/completions", "audio", chatBody("", true, nil, wav, "data:audio/mp3;base64,"+mp3))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	tr, _ := srv.Server.Truth("audio")
	want := []string{sha(wavRaw), sha(mp3Raw)}
	if strings.Join(tr.AudioSHA256, ",") != strings.Join(want, ",") || tr.AudioSeconds < 0.2 {
		t.Errorf("truth audio %v %.3fs, want %v", tr.AudioSHA256, tr.AudioSeconds, want)
	}
	// No text: the fixed word list is echoed.
	if _, content := contentOf(t, body); content != "the quick" {
		t.Errorf("content %q, want the fallback words", content)
	}
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// contentOf joins a stream's content deltas.
func contentOf(t *testing.T, body []byte) (int, string) {
	var sb strings.Builder
	n := 0
	for _, e := range parseSSE(t, body) {
		if s := deltaOf(e.chunk)["content"]; s != "" {
			sb.WriteString(s)
			n++
		}
	}
	return n, sb.String()
}

func TestChatRejects(t *testing.T) {
	wav, wavRaw := audioClip(t, "wav")
	tests := []struct {
		name     string
		cfg      Config
		body     string
		code     int
		typ, msg string
	}{
		{"bad JSON", Config{}, `{"model":`, 400, "BadRequestError", "bad JSON body"},
		{"no messages", Config{}, `{"model":"m","messages":[]}`, 400, "BadRequestError", "messages must not be empty"},
		{"unknown model", Config{Models: []string{"a", "b"}}, `{"model":"m","messages":[{"role":"user","content":"hi"}]}`, 404, "NotFoundError", "The model `m` does not exist."},
		{"bad base64", Config{}, audioBody("!!!notbase64"), 400, "BadRequestError", "audio is not valid base64"},
		{"not audio", Config{}, audioBody(b64([]byte("hello, this is text"))), 400, "BadRequestError", "invalid audio: not a WAV or MP3 file"},
		{"truncated WAV", Config{}, audioBody(b64(wavRaw[:len(wavRaw)/2])), 400, "BadRequestError", "invalid audio: bad WAV header: data chunk claims"},
		{"bad data URL", Config{}, audioBody("data:audio/wav," + wav), 400, "BadRequestError", "audio data URL is not base64"},
		{"content type", Config{}, `{"model":"m","messages":[{"role":"user","content":5}]}`, 400, "BadRequestError", "content is neither a string nor a list"},
		{"zero max", Config{}, `{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"x"}]}`, 400, "BadRequestError", "max_tokens must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := start(t, tt.cfg)
			resp, body := postRaw(t, srv.URL+"/v1/chat/completions", "rej", "application/json", []byte(tt.body))
			var e apiError
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("body %s: %v", body, err)
			}
			if resp.StatusCode != tt.code || e.Error.Code != tt.code || e.Error.Type != tt.typ || !strings.Contains(e.Error.Message, tt.msg) {
				t.Errorf("status %d body %s, want %d %s containing %q", resp.StatusCode, body, tt.code, tt.typ, tt.msg)
			}
			if tr, ok := srv.Server.Truth("rej"); !ok || tr.Status != tt.code || tr.Error == "" {
				t.Errorf("truth %+v", tr)
			}
		})
	}
}

// audioBody is a chat body with one input_audio part holding data.
func audioBody(data string) string {
	b, _ := json.Marshal(chatBody("x", false, nil, data))
	return string(b)
}

func TestChatEchoesLastUserMessage(t *testing.T) {
	srv := start(t, Config{})
	body := map[string]any{
		"model": "m", "stream": true, "max_tokens": 4,
		"messages": []any{
			map[string]any{"role": "system", "content": "be brief"},
			map[string]any{"role": "user", "content": "old words"},
			map[string]any{"role": "assistant", "content": "ok"},
			map[string]any{"role": "user", "content": []any{
				map[string]any{"type": "text", "text": "new"}, map[string]any{"type": "text", "text": "text"}}},
		},
	}
	_, out := post(t, srv.URL+"/v1/chat/completions", "", body)
	if _, c := contentOf(t, out); c != "new text new text" {
		t.Errorf("content %q", c)
	}
}
