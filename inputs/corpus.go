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
}

func newPrompter(c tokens.Counter) *prompter {
	return &prompter{counter: c, words: corpusWords}
}

// prompt returns consecutive corpus words from a random offset (wrapping) whose
// token count is n: exactly n words for the word counter; for another counter the
// fewest words that reach n tokens.
func (p *prompter) prompt(rng *rand.Rand, n int) string {
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
