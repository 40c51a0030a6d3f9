// Package tokens counts tokens in text: a Hugging Face tokenizer when one is
// given, else the documented word rule (Words).
package tokens

import "unicode"

// Counter counts the tokens of a text, as AIPerf does for ISL and OSL (no special
// tokens, no chat template).
type Counter interface {
	// Count returns the number of tokens in text.
	Count(text string) int
	// Name says which counter was used, for the report (e.g. "words").
	Name() string
}

// Words is the fallback counter used when no tokenizer is given: one token per
// whitespace-separated word (Unicode white space, exactly as strings.Fields
// splits, without allocating).
type Words struct{}

// Count returns the number of whitespace-separated words in text.
func (Words) Count(text string) int {
	n, in := 0, false
	for _, r := range text {
		space := unicode.IsSpace(r)
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

// Name is "words".
func (Words) Name() string { return "words" }

// Encoder is a counter that can also turn text into token ids and back, so
// synthetic prompts can be cut from a corpus at token level (HF does).
type Encoder interface {
	Counter
	// Encode returns the token ids of text, without special tokens.
	Encode(text string) ([]int, error)
	// Decode turns ids back into text.
	Decode(ids []int) string
}
