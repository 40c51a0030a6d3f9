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

// A prompt longer than promptChunk is made a chunk at a time with the exact
// length asked for, and stops between chunks once the build is cancelled, so a
// context-window-sized prompt does not hold up SIGTERM.
func TestLongTokenPromptIsChunkedAndStops(t *testing.T) {
	h, err := tokens.LoadHF("../tokens/testdata/llama3/tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	p := newPrompter(h)
	n := 3*promptChunk + 17
	if got := h.Count(p.prompt(rand.New(rand.NewSource(1)), n)); got != n {
		t.Errorf("prompt(%d) has %d tokens", n, got)
	}
	chunks := 0
	p.stop = func() bool { chunks++; return chunks > 2 } // cancelled after two chunks
	if got := h.Count(p.prompt(rand.New(rand.NewSource(1)), n)); got > 2*promptChunk+4 {
		t.Errorf("cancelled after two chunks, the prompt still has %d tokens (a chunk is %d)", got, promptChunk)
	}
}
