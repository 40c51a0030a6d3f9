package inputs

import (
	_ "embed"
	"math/rand"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// corpusText is the prose synthetic prompts are cut from. AIPerf uses
// Shakespeare; corpus.txt is original prose written for this project and
// dedicated to the public domain (CC0), so it needs no attribution.
//
//go:embed corpus.txt
var corpusText string

// corpusWords is corpusText split once into words.
var corpusWords = strings.Fields(corpusText)

// prompter cuts prompts of an exact token count from the corpus.
type prompter struct {
	counter tokens.Counter
	words   []string
	enc     tokens.Encoder // set when the counter is a real tokenizer
	ids     []int          // the corpus tokenized once by enc
	stop    func() bool    // true once the build is cancelled; nil: never
}

func newPrompter(c tokens.Counter) *prompter {
	return newCorpusPrompter(c, corpusText)
}

// newCorpusPrompter cuts prompts from text instead (--prompt-corpus).
func newCorpusPrompter(c tokens.Counter, text string) *prompter {
	p := &prompter{counter: c, words: strings.Fields(text)}
	if enc, ok := c.(tokens.Encoder); ok {
		if ids, err := enc.Encode(text); err == nil && len(ids) > 0 {
			p.enc, p.ids = enc, ids
		}
	}
	return p
}

// prompt returns corpus text from a random offset (wrapping) whose token count
// is n: exactly n words for the word counter; for a tokenizer, n consecutive
// corpus tokens decoded back to text (AIPerf's way), adjusted when re-encoding
// the text does not give n; for another counter the fewest words that reach n
// tokens.
func (p *prompter) prompt(rng *rand.Rand, n int) string {
	if p.enc != nil {
		return p.tokenPrompt(rng.Intn(len(p.ids)), n)
	}
	off := rng.Intn(len(p.words))
	if n <= 0 {
		return ""
	}
	if _, ok := p.counter.(tokens.Words); ok {
		return p.join(off, n)
	}
	// Smallest k with Count(join(off, k)) >= n: grow an upper bound, then bisect.
	hi := n
	for p.counter.Count(p.join(off, hi)) < n {
		hi *= 2
	}
	lo := 1
	for lo < hi {
		mid := (lo + hi) / 2
		if p.counter.Count(p.join(off, mid)) >= n {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return p.join(off, lo)
}

// join joins k words from off, wrapping around the end of the corpus.
func (p *prompter) join(off, k int) string {
	var b strings.Builder
	for i := 0; i < k; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p.words[(off+i)%len(p.words)])
	}
	return b.String()
}

// promptChunk bounds the tokens a tokenizer decodes and re-encodes at once: a
// longer prompt (up to a context window, options.MaxPromptTokens) is made a
// chunk at a time, each exact on its own, so a cancelled build stops between
// chunks within a fraction of a second instead of after the whole prompt.
const promptChunk = 1 << 16

// tokenPrompt decodes n corpus tokens from off (tokenWindow), a promptChunk at
// a time; it returns what it made so far once stop says the build ended.
func (p *prompter) tokenPrompt(off, n int) string {
	if n <= promptChunk {
		return p.tokenWindow(off, n)
	}
	var b strings.Builder
	for done := 0; done < n; done += promptChunk {
		if p.stop != nil && p.stop() {
			break
		}
		b.WriteString(p.tokenWindow((off+done)%len(p.ids), min(promptChunk, n-done)))
	}
	return b.String()
}

// maxTokenAdjust bounds how many tokens a window may grow or shrink to make
// its decoded text re-encode to exactly n tokens.
const maxTokenAdjust = 4

// tokenWindow decodes n corpus tokens from off. Decoding and re-encoding can
// be off by a token or two (a word cut mid-way merges differently), so when it
// is, nearby window lengths are tried and the first that re-encodes to n wins;
// failing that, the closest. ISL is always counted on the text returned.
func (p *prompter) tokenWindow(off, n int) string {
	if n <= 0 {
		return ""
	}
	best, bestDiff := "", -1
	for d := 0; d <= maxTokenAdjust; d++ {
		for _, k := range []int{n + d, n - d}[:1+min(d, 1)] {
			if k < 1 {
				continue
			}
			text := p.enc.Decode(p.window(off, k))
			diff := p.enc.Count(text) - n
			if diff == 0 {
				return text
			}
			if diff < 0 {
				diff = -diff
			}
			if bestDiff < 0 || diff < bestDiff {
				best, bestDiff = text, diff
			}
		}
	}
	return best
}

// window returns k corpus token ids from off, wrapping.
func (p *prompter) window(off, k int) []int {
	out := make([]int, k)
	for i := range out {
		out[i] = p.ids[(off+i)%len(p.ids)]
	}
	return out
}
