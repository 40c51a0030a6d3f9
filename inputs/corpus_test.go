package inputs

import (
	"math/rand"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// runes counts one token per character: a stand-in for a real tokenizer.
type runes struct{}

func (runes) Count(s string) int { return utf8.RuneCountInString(s) }
func (runes) Name() string       { return "runes" }

func TestPromptLengths(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	words := newPrompter(tokens.Words{})
	for _, n := range []int{1, 2, 550, len(corpusWords) + 7} { // the last wraps around the corpus
		if got := (tokens.Words{}).Count(words.prompt(rng, n)); got != n {
			t.Errorf("words prompt(%d) has %d tokens", n, got)
		}
	}
	if words.prompt(rng, 0) != "" {
		t.Error("prompt(0) is not empty")
	}
	chars := newPrompter(runes{})
	for _, n := range []int{1, 40, 333} {
		p := chars.prompt(rng, n)
		fewer := p[:strings.LastIndexByte(p, ' ')+1]
		if got := (runes{}).Count(p); got < n || (fewer != "" && (runes{}).Count(strings.TrimSpace(fewer)) >= n) {
			t.Errorf("rune prompt(%d) = %d runes, not the fewest words reaching %d", n, got, n)
		}
	}
	if len(corpusWords) < 1000 {
		t.Fatalf("corpus has only %d words", len(corpusWords))
	}
}
