package tokens

import (
	"reflect"
	"testing"

	"github.com/sugarme/tokenizer/pretokenizer"
	"golang.org/x/text/unicode/norm"
)

// handQwen writes a Qwen2-style tokenizer.json (the fixture's pre-tokenizer
// section) whose vocab is the 256 byte symbols (id = byte value) plus a few
// merges, so expected ids can be worked out by hand.
func handQwen(t *testing.T) string {
	t.Helper()
	vocab := map[string]int{}
	for b := 0; b < 256; b++ {
		vocab[pretokenizer.BytesChar[uint8(b)]] = b
	}
	merges := [][2]string{{"Ġ", "Ġ"}, {"h", "e"}, {"Ġ", "w"}, {"Ċ", "Ċ"}, {"l", "l"}, {"he", "ll"}}
	for i, m := range merges {
		vocab[m[0]+m[1]] = 256 + i
	}
	model := map[string]any{"type": "BPE", "dropout": nil, "unk_token": nil, "continuing_subword_prefix": "",
		"end_of_word_suffix": "", "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
		"vocab": vocab, "merges": merges}
	return withField(t, "testdata/qwen2/tokenizer.json", "model", model)
}

// The whole pipeline (NFC, Split with look-ahead, ByteLevel, BPE) on a
// tokenizer whose ids are known: ids 0-255 are bytes, 256 "ĠĠ", 257 "he",
// 258 "Ġw", 259 "ĊĊ", 260 "ll", 261 "hell".
func TestQwenPipelineByHand(t *testing.T) {
	h, err := LoadHF(handQwen(t))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		text string
		want []int
	}{
		// pieces "hello" " " " world" "\n\n" " " " x":
		// hell+o, Ġ, Ġw+o+r+l+d, ĊĊ, Ġ, Ġ+x (ĠĠ never forms: the spaces are in different pieces)
		{"hello  world\n\n  x", []int{261, 'o', 32, 258, 'o', 'r', 'l', 'd', 259, 32, 32, 'x'}},
		// one piece of three spaces at the end: ĠĠ (leftmost) + Ġ
		{"he   ", []int{257, 256, 32}},
		// "'S" is a contraction piece; no merges apply
		{"IT'S", []int{'I', 'T', '\'', 'S'}},
		// NFC: e + combining acute becomes é (C3 A9), mapped to byte symbols
		{"e\u0301", []int{0xC3, 0xA9}},
		{"\u00e9", []int{0xC3, 0xA9}},
		// NFC composes only what has a composed form: ǹ and x + acute
		{"n\u0300x\u0301", []int{0xC7, 0xB9, 'x', 0xCC, 0x81}},
		// NFC before the split: pieces "À", " \x00", "0" (sugarme's pipeline,
		// splitting the normalized string by alignments, repeated the "0")
		{"A\u0300 \x000", []int{0xC3, 0x80, 32, 0, '0'}},
	}
	for _, c := range cases {
		ids, err := h.Encode(c.text)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ids, c.want) {
			t.Errorf("Encode(%q) = %v, want %v", c.text, ids, c.want)
		}
		if got, want := h.Decode(ids), norm.NFC.String(c.text); got != want {
			t.Errorf("Decode(Encode(%q)) = %q", c.text, got)
		}
	}
}

func TestFamilyFixtures(t *testing.T) {
	texts := []string{
		"The keeper of the northern light rose.",
		"Hello  world\n\n  x",
		"It's 2024; we'LL count 1234567 tokens.\r\n\tIndented",
		"你好，世界 — ünïcode\u00a0and\u3000spaces",
		"trailing   ",
	}
	for _, family := range []string{"qwen2", "llama3"} {
		dir := "testdata/" + family
		h, err := LoadHF(dir)
		if err != nil {
			t.Fatalf("LoadHF(%s): %v", dir, err)
		}
		if h.Name() != "tokenizer:"+family {
			t.Errorf("Name = %q", h.Name())
		}
		p := familyPattern(t, family)
		for _, text := range texts {
			ids, err := h.Encode(text)
			if err != nil {
				t.Fatalf("%s Encode(%q): %v", family, text, err)
			}
			if got := h.Decode(ids); got != text {
				t.Errorf("%s: Decode(Encode(%q)) = %q", family, text, got)
			}
			// Pieces are encoded one by one, so the count is the sum of the
			// pieces' counts, and a piece never yields more tokens than bytes.
			sum := 0
			for _, piece := range p.pieces(text) {
				n := h.Count(piece)
				if n < 1 || n > len(piece) {
					t.Errorf("%s: Count(%q) = %d", family, piece, n)
				}
				sum += n
			}
			if len(ids) != sum || h.Count(text) != sum {
				t.Errorf("%s: Count(%q) = %d, pieces sum to %d", family, text, len(ids), sum)
			}
		}
		// Trained on English prose: a frequent word with its leading space is one token.
		if n := h.Count(" the"); n != 1 {
			t.Errorf("%s: Count(\" the\") = %d, want 1", family, n)
		}
	}
}

// Digits group by three in Llama 3 and one by one in Qwen2; the corpus
// merged no digits, so each group of bytes stays one token per byte.
func TestFamilyDigits(t *testing.T) {
	q, err := LoadHF("testdata/qwen2")
	if err != nil {
		t.Fatal(err)
	}
	l, err := LoadHF("testdata/llama3")
	if err != nil {
		t.Fatal(err)
	}
	if got := q.Count("1234567"); got != 7 {
		t.Errorf("qwen2 Count(1234567) = %d, want 7", got)
	}
	pieces := familyPattern(t, "llama3").pieces("1234567")
	if !reflect.DeepEqual(pieces, []string{"123", "456", "7"}) {
		t.Errorf("llama3 pieces = %q", pieces)
	}
	if got := l.Count("1234567"); got < 3 || got > 7 {
		t.Errorf("llama3 Count(1234567) = %d, want 3..7", got)
	}
}
