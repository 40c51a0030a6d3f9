package mockserver

import (
	"math"
	"math/rand"
	"strings"
)

// fallbackWords are echoed when a request carries no text (audio only).
var fallbackWords = strings.Fields("the quick brown fox jumps over the lazy dog while the audio plays on")

// DefaultMaxOutputTokens is the mock's longest answer when
// Config.MaxOutputTokens is 0: the context length of a 128K-context model.
const DefaultMaxOutputTokens = 131072

// MaxOutputTokensCeiling is the most Config.MaxOutputTokens may be: an
// answer is built whole before it is sent, so its length must stay bounded.
const MaxOutputTokensCeiling = 1 << 20

// lengthRequest holds the output-length fields of a request body. field names
// the API's limit in errors ("max_tokens" when empty).
type lengthRequest struct {
	MaxCompletionTokens *int  `json:"max_completion_tokens"`
	MaxTokens           *int  `json:"max_tokens"`
	MinTokens           *int  `json:"min_tokens"`
	IgnoreEOS           *bool `json:"ignore_eos"`
	field               string
}

// limitedBy is a request whose only length field is v, named field.
func limitedBy(field string, v *int) lengthRequest { return lengthRequest{MaxTokens: v, field: field} }

// outputLength decides how many tokens to send and the finish reason. A given
// max is always reached ("length"): the mock never stops early, which is what
// min_tokens/ignore_eos ask of a real server. Without one, cfg.OutputTokens or
// the 0.8–1.2 × prompt-words rule (at least 16) applies, raised to min_tokens
// ("stop") and cut at the mock's longest answer ("length"). Limits a server
// refuses are a 400: as vLLM refuses a max_tokens beyond its context length,
// the mock refuses one beyond its longest answer, before building anything.
func outputLength(req lengthRequest, cfg Config, promptWords int, rng func() float64) (n int, finish string, err error) {
	limit, field := 0, req.field
	switch {
	case req.MaxCompletionTokens != nil:
		limit, field = *req.MaxCompletionTokens, "max_completion_tokens"
	case req.MaxTokens != nil:
		limit = *req.MaxTokens
	}
	if field == "" {
		field = "max_tokens"
	}
	minTokens := 0
	if req.MinTokens != nil {
		minTokens = *req.MinTokens
	}
	most := cfg.maxOutput()
	switch {
	case limit < 0 || (limit == 0 && (req.MaxCompletionTokens != nil || req.MaxTokens != nil)):
		return 0, "", invalid("%s must be at least 1", field)
	case minTokens < 0:
		return 0, "", invalid("min_tokens must be non-negative")
	case limit > most:
		return 0, "", invalid("%s is too large: %d. This model's maximum output length is %d tokens", field, limit, most)
	case minTokens > most:
		return 0, "", invalid("min_tokens is too large: %d. This model's maximum output length is %d tokens", minTokens, most)
	case limit > 0 && minTokens > limit:
		return 0, "", invalid("min_tokens must be less than or equal to %s", field)
	case limit > 0:
		return limit, "length", nil
	}
	n = cfg.OutputTokens
	if n == 0 {
		n = max(16, int(math.Round(float64(promptWords)*(0.8+0.4*rng()))))
	}
	n = max(n, minTokens)
	if n > most {
		return most, "length", nil
	}
	return n, "stop", nil
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
