package mockserver

import (
	"math"
	"math/rand"
	"strings"
)

// fallbackWords are echoed when a request carries no text (audio only).
var fallbackWords = strings.Fields("the quick brown fox jumps over the lazy dog while the audio plays on")

// lengthRequest holds the output-length fields of a request body.
type lengthRequest struct {
	MaxCompletionTokens *int  `json:"max_completion_tokens"`
	MaxTokens           *int  `json:"max_tokens"`
	MinTokens           *int  `json:"min_tokens"`
	IgnoreEOS           *bool `json:"ignore_eos"`
}

// outputLength decides how many tokens to send and the finish reason. A given
// max is always reached ("length"): the mock never stops early, which is what
// min_tokens/ignore_eos ask of a real server. Without one, cfgTokens or the
// 0.8–1.2 × prompt-words rule (at least 16) applies, raised to min_tokens
// ("stop"). Limits a server refuses are a 400.
func outputLength(req lengthRequest, cfgTokens, promptWords int, rng func() float64) (n int, finish string, err error) {
	limit := 0
	switch {
	case req.MaxCompletionTokens != nil:
		limit = *req.MaxCompletionTokens
	case req.MaxTokens != nil:
		limit = *req.MaxTokens
	}
	minTokens := 0
	if req.MinTokens != nil {
		minTokens = *req.MinTokens
	}
	switch {
	case limit < 0 || (limit == 0 && (req.MaxCompletionTokens != nil || req.MaxTokens != nil)):
		return 0, "", invalid("max_tokens must be at least 1")
	case minTokens < 0:
		return 0, "", invalid("min_tokens must be non-negative")
	case limit > 0 && minTokens > limit:
		return 0, "", invalid("min_tokens must be less than or equal to max_tokens")
	case limit > 0:
		return limit, "length", nil
	}
	n = cfgTokens
	if n == 0 {
		n = max(16, int(math.Round(float64(promptWords)*(0.8+0.4*rng()))))
	}
	return max(n, minTokens), "stop", nil
}

// isLimited reports whether the request set an output limit.
func isLimited(req lengthRequest) bool { return req.MaxCompletionTokens != nil || req.MaxTokens != nil }

// makeTokens returns n words cycling through words (fallbackWords when empty).
func makeTokens(words []string, n int) []string {
	if len(words) == 0 {
		words = fallbackWords
	}
	out := make([]string, n)
	for i := range out {
		out[i] = words[i%len(words)]
	}
	return out
}

// joinTokens is the text of tokens as streamed: words separated by one space.
func joinTokens(tokens []string) string { return strings.Join(tokens, " ") }

// newRand returns a locked source of uniform floats seeded with seed.
func newRand(seed int64) *rand.Rand { return rand.New(rand.NewSource(seed)) }
