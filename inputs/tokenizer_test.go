package inputs

import (
	"math/rand"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// fixtureTokenizer is the small byte-level BPE trained on the corpus by
// tokens/testdata/gen.
func fixtureTokenizer(t testing.TB) *tokens.HF {
	t.Helper()
	h, err := tokens.LoadHF("../tokens/testdata/tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// With a tokenizer, ISL is the tokenizer's own count of the text actually
// sent, and synthetic prompts have exactly the asked number of tokens.
func TestSyntheticPromptsWithTokenizer(t *testing.T) {
	h := fixtureTokenizer(t)
	cases := []struct {
		args  []string
		exact int  // every prompt must have this many tokens
		vary  bool // the stddev must give many lengths
	}{
		{[]string{"--isl", "1"}, 1, false},
		{[]string{"--isl", "7"}, 7, false},
		{[]string{"--isl", "550"}, 550, false},
		{[]string{"--isl", "2500", "--num-dataset-entries", "4"}, 2500, false}, // longer than the corpus: wraps
		{[]string{"--isl", "40", "--synthetic-input-tokens-stddev", "15"}, 0, true},
		{[]string{"--isl", "20", "--prompt-prefix-pool-size", "2", "--prompt-prefix-length", "5"}, 0, false},
	}
	for _, c := range cases {
		args := append([]string{"-m", "x", "--num-dataset-entries", "30"}, c.args...)
		d, err := Build(opts(t, args...), h, rand.New(rand.NewSource(7)))
		if err != nil {
			t.Fatal(err)
		}
		lengths := map[int]bool{}
		for _, conv := range d.Conversations {
			tr := conv.Turns[0]
			text := parts(t, decode(t, tr.Body))[0].Text
			if n := h.Count(text); n != tr.InputTokens {
				t.Fatalf("%v: sent text has %d tokens, ISL says %d: %q", c.args, n, tr.InputTokens, text)
			}
			if c.exact > 0 && tr.InputTokens != c.exact {
				t.Errorf("%v: prompt has %d tokens, asked %d: %q", c.args, tr.InputTokens, c.exact, text)
			}
			lengths[tr.InputTokens] = true
		}
		if c.vary && len(lengths) < 5 {
			t.Errorf("%v: only %d distinct lengths", c.args, len(lengths))
		}
	}
}

// The token window is cut at random offsets, so some prompts start mid-word;
// re-encoding those must still give the asked count.
func TestTokenPromptIsExactAtEveryOffset(t *testing.T) {
	p := newPrompter(fixtureTokenizer(t))
	if p.enc == nil {
		t.Fatal("the tokenizer was not used for prompts")
	}
	misses := 0
	for off := 0; off < len(p.ids); off += 5 {
		for _, n := range []int{1, 2, 5, 17} {
			if got := p.enc.Count(p.tokenPrompt(off, n)); got != n {
				misses++
				t.Logf("offset %d, n %d: %d tokens", off, n, got)
			}
		}
	}
	if misses > 0 {
		t.Fatalf("%d prompts were not token-exact", misses)
	}
}

func BenchmarkPromptWithTokenizer(b *testing.B) {
	p := newPrompter(fixtureTokenizer(b))
	rng := rand.New(rand.NewSource(1))
	for b.Loop() {
		p.prompt(rng, 550)
	}
}
