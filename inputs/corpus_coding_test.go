package inputs

import (
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// The coding corpus holds every kind of content its templates make, every
// template filled (no fmt complaint left), and is the same in every run.
func TestCodingCorpus(t *testing.T) {
	text := codingCorpusText()
	for _, want := range []string{"func (s *", "def ", "$ go test", "Traceback (most recent call last):", "diff --git", `"next_cursor": null`, "latency_ms=", "Can you "} {
		if !strings.Contains(text, want) {
			t.Errorf("the corpus has no %q", want)
		}
	}
	if strings.Contains(text, "%!") {
		t.Fatalf("a template was filled wrongly: %q", text[strings.Index(text, "%!")-80:][:160])
	}
	if n := len(strings.Fields(text)); n < 5000 {
		t.Fatalf("only %d words", n)
	}
	again := strings.Join(func() []string {
		p := newCorpusPrompter(tokens.Words{}, text)
		return p.words
	}(), " ")
	if again != strings.Join(strings.Fields(text), " ") {
		t.Fatal("the corpus changed between uses")
	}
}

// --prompt-corpus coding cuts synthetic prompts, at their exact length, from
// the coding corpus instead of the prose; a tokenizer's count is exact too.
func TestPromptCorpusCoding(t *testing.T) {
	words := map[string]bool{}
	for _, w := range strings.Fields(codingCorpusText()) {
		words[w] = true
	}
	d := build(t, 2, "-m", "x", "--isl", "40", "--num-dataset-entries", "20", "--prompt-corpus", "coding")
	for _, c := range d.Conversations {
		text := parts(t, decode(t, c.Turns[0].Body))[0].Text
		ws := strings.Fields(text)
		if len(ws) != 40 || c.Turns[0].InputTokens != 40 {
			t.Fatalf("%d words, ISL %d, want 40", len(ws), c.Turns[0].InputTokens)
		}
		for _, w := range ws {
			if !words[w] {
				t.Fatalf("%q is not from the coding corpus", w)
			}
		}
	}
	p := newCorpusPrompter(fixtureTokenizer(t), codingCorpusText())
	if p.enc == nil {
		t.Fatal("the tokenizer was not used")
	}
	for off := 0; off < len(p.ids); off += 997 {
		if got := p.enc.Count(p.tokenPrompt(off, 25)); got != 25 {
			t.Fatalf("offset %d: %d tokens, want 25", off, got)
		}
	}
}
