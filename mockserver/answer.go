package mockserver

import (
	"strings"
	"time"

	"go.uber.org/zap"
)

// answer is the reply decided for one request.
type answer struct {
	id, object, model string
	created           int64
	tokens            []string
	reasoning         int    // the first tokens sent as reasoning_content
	finish            string // "stop" or "length"
	promptTokens      int
	audioTokens       int // of the prompt, reported in usage.prompt_tokens_details
	// textChoices answers as /v1/completions does: choices[].text, no
	// message or delta, the same object name streamed or not.
	textChoices bool
}

func newAnswer(id, object, model string, tokens []string, reasoning int, finish string, promptTokens int) answer {
	return answer{id: "chatcmpl-" + id, object: object, model: model, created: time.Now().Unix(),
		tokens: tokens, reasoning: reasoning, finish: finish, promptTokens: promptTokens}
}

func (a answer) usage() *usage {
	u := &usage{
		PromptTokens: a.promptTokens + a.audioTokens, CompletionTokens: len(a.tokens), TotalTokens: a.promptTokens + a.audioTokens + len(a.tokens),
		Details: &usageDetails{ReasoningTokens: a.reasoning},
	}
	if a.audioTokens > 0 {
		u.PromptDetails = &promptDetails{AudioTokens: a.audioTokens}
	}
	return u
}

// chunk is a streamed event or a whole response body, vLLM's shape.
type chunk struct {
	ID      string   `json:"id"`
	Object  string   `json:"object"`
	Created int64    `json:"created"`
	Model   string   `json:"model"`
	Choices []choice `json:"choices"`
	Usage   *usage   `json:"usage,omitempty"`
}

type choice struct {
	Index        int     `json:"index"`
	Delta        *delta  `json:"delta,omitempty"`
	Message      *delta  `json:"message,omitempty"`
	Text         *string `json:"text,omitempty"`
	Logprobs     any     `json:"logprobs"`
	FinishReason *string `json:"finish_reason"`
}

type delta struct {
	Role             string  `json:"role,omitempty"`
	Content          *string `json:"content,omitempty"`
	ReasoningContent *string `json:"reasoning_content,omitempty"`
}

type usage struct {
	PromptTokens     int            `json:"prompt_tokens"`
	CompletionTokens int            `json:"completion_tokens"`
	TotalTokens      int            `json:"total_tokens"`
	Details          *usageDetails  `json:"completion_tokens_details,omitempty"`
	PromptDetails    *promptDetails `json:"prompt_tokens_details,omitempty"`
}

type promptDetails struct {
	AudioTokens int `json:"audio_tokens"`
}

type usageDetails struct {
	ReasoningTokens int `json:"reasoning_tokens"`
}

// whole is the chat answer as one body: the message (reasoning_content
// first), or completions' text, with usage.
func (c chatEvents) whole() any {
	a, tr := c.a, c.tr
	reasoning := strings.Join(a.tokens[:a.reasoning], " ")
	content := strings.Join(a.tokens[a.reasoning:], " ")
	msg := &delta{Role: "assistant", Content: &content}
	if a.reasoning > 0 {
		msg.ReasoningContent = &reasoning
	}
	finish := a.finish
	tr.FinishReason = finish
	tr.CompletionTokens, tr.PromptTokens = len(a.tokens), a.promptTokens
	ch := choice{Message: msg, FinishReason: &finish}
	if a.textChoices {
		ch = choice{Text: &content, FinishReason: &finish}
	}
	return chunk{ID: a.id, Object: a.object, Created: a.created, Model: a.model, Choices: []choice{ch}, Usage: a.usage()}
}

// zapTruth gives the log fields of a finished request.
func zapTruth(t *Truth) []zap.Field {
	return []zap.Field{
		zap.String("request_id", t.RequestID), zap.String("endpoint", t.Endpoint), zap.Int("status", t.Status),
		zap.Bool("stream", t.Stream), zap.Int("chunks", len(t.ChunkNs)), zap.String("fault", t.Fault),
		zap.Duration("duration", time.Duration(t.EndNs-t.ArrivalNs)), zap.String("error", t.Error),
	}
}
