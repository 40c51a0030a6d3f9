package inputs

import (
	"encoding/json"
	"strings"
	"testing"
)

// Messages API bodies are AIPerf's MessagesEndpoint payload
// (src/aiperf/endpoints/anthropic_messages.py): model, messages, max_tokens
// (1024 when no length is asked: the API requires one), "stream": true only
// when streaming, the shared system prompt as the top-level system (never a
// system message), then the extras; images as Anthropic's base64 blocks.
func TestMessagesBody(t *testing.T) {
	d := build(t, 9, "-m", "claude", "--endpoint-type", "anthropic_messages", "--isl", "3", "--osl", "20", "--streaming",
		"--shared-system-prompt-length", "4", "--num-dataset-entries", "1", "--extra-inputs", "temperature:0.5")
	body := d.Conversations[0].Turns[0].Body.Bytes()
	if got := keysOf(t, body); got != "model,messages,max_tokens,stream,system,temperature" {
		t.Fatalf("keys %s", got)
	}
	var v struct {
		Messages  []struct{ Role string }
		MaxTokens int `json:"max_tokens"`
		System    string
	}
	if err := json.Unmarshal(body, &v); err != nil || len(v.Messages) != 1 || v.Messages[0].Role != "user" || v.MaxTokens != 20 {
		t.Fatalf("body %s (%v)", body, err)
	}
	if len(strings.Fields(v.System)) != 4 {
		t.Errorf("system %q: want the 4-token shared system prompt", v.System)
	}

	d = build(t, 9, "-m", "claude", "--endpoint-type", "anthropic_messages", "--isl", "3", "--num-dataset-entries", "1",
		"--image-batch-size", "1", "--image-width-mean", "8", "--image-height-mean", "8", "--image-format", "png")
	body = d.Conversations[0].Turns[0].Body.Bytes()
	if got := keysOf(t, body); got != "model,messages,max_tokens" {
		t.Fatalf("not streamed, no length asked: keys %s", got)
	}
	var w struct {
		Messages []struct {
			Content []struct {
				Type   string
				Source struct {
					Type      string
					MediaType string `json:"media_type"`
					Data      string
				}
			}
		}
		MaxTokens int `json:"max_tokens"`
	}
	if err := json.Unmarshal(body, &w); err != nil || w.MaxTokens != 1024 || len(w.Messages) != 1 || len(w.Messages[0].Content) != 2 {
		t.Fatalf("body %.300s (%v)", body, err)
	}
	img := w.Messages[0].Content[1]
	if src := img.Source; img.Type != "image" || src.Type != "base64" || src.MediaType != "image/png" || src.Data == "" {
		t.Errorf("image block %.200v: want a base64 image/png source", img)
	}
}

// Audio cannot be sent to the Messages API: AIPerf raises, so do we, in one line.
func TestMessagesRefuseAudio(t *testing.T) {
	args := []string{"-m", "x", "--endpoint-type", "anthropic_messages", "--input-file", "testdata/multi_turn.jsonl", "--custom-dataset-type", "multi_turn"}
	wantBuildError(t, "anthropic_messages sends no audio", args...)
}
