package tokens

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// withAdded writes a copy of a fixture whose added_tokens are toks.
func withAdded(t *testing.T, path string, toks []addedToken) string {
	t.Helper()
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		path = filepath.Join(path, "tokenizer.json")
	}
	return withField(t, path, "added_tokens", toks)
}

// withField writes a copy of the tokenizer.json at path whose top-level key
// is v, and returns the copy's path.
func withField(t *testing.T, path, key string, v any) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if f[key], err = json.Marshal(v); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "tokenizer.json")
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// Added tokens are found as Hugging Face finds them, even without special
// tokens requested: leftmost-longest, single_word, lstrip, rstrip, and
// normalized tokens matched in the normalized text. Each case's ids are the
// token's id between the plain encodes of the text around it. (sugarme's
// pipeline drops special tokens and, of two in the wrong order, the first.)
func TestAddedTokens(t *testing.T) {
	gpt2 := withAdded(t, fixture, []addedToken{
		{ID: 656, Content: "<|endoftext|>", Special: true},
		{ID: 700, Content: "<mask>", LStrip: true, RStrip: true, Special: true},
		{ID: 701, Content: "[w]", SingleWord: true},
		{ID: 702, Content: "<|end", Special: true},
	})
	qwen := withAdded(t, "testdata/qwen2", []addedToken{
		{ID: 656, Content: "<|endoftext|>", Special: true},
		{ID: 657, Content: "<|im_start|>", Special: true},
		{ID: 658, Content: "<|im_end|>", Special: true},
		{ID: 659, Content: "e\u0301x", Normalized: true},
	})
	type part struct {
		text string
		id   int // used when text is ""
	}
	cases := []struct {
		file, base, text string
		want             []part
	}{
		{gpt2, fixture, "<|endoftext|>", []part{{id: 656}}},
		{gpt2, fixture, "a<|endoftext|>b", []part{{text: "a"}, {id: 656}, {text: "b"}}},
		{gpt2, fixture, "<|end of<|endoftext|>", []part{{id: 702}, {text: " of"}, {id: 656}}},
		{gpt2, fixture, "a  <mask>  b", []part{{text: "a"}, {id: 700}, {text: "b"}}},
		{gpt2, fixture, "x[w]y", []part{{text: "x[w]y"}}},
		{gpt2, fixture, "a [w] b", []part{{text: "a "}, {id: 701}, {text: " b"}}},
		{qwen, "testdata/qwen2", "<|im_end|> x <|im_start|>", []part{{id: 658}, {text: " x "}, {id: 657}}},
		{qwen, "testdata/qwen2", "\u00e9x! e\u0301x", []part{{id: 659}, {text: "! "}, {id: 659}}},
	}
	for _, c := range cases {
		h, err := LoadHF(c.file)
		if err != nil {
			t.Fatal(err)
		}
		base, err := LoadHF(c.base)
		if err != nil {
			t.Fatal(err)
		}
		var want []int
		for _, p := range c.want {
			if p.text == "" {
				want = append(want, p.id)
				continue
			}
			ids, err := base.Encode(p.text)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, ids...)
		}
		got, err := h.Encode(c.text)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Encode(%q) = %v, %v; want %v", c.text, got, err, want)
		}
		if n := h.Count(c.text); n != len(want) {
			t.Errorf("Count(%q) = %d, want %d", c.text, n, len(want))
		}
	}
}
