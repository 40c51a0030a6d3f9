package tokens

import (
	"reflect"
	"strings"
	"testing"
)

func tokenValues(t *testing.T, m *bpe, word string) []string {
	t.Helper()
	toks, err := m.Tokenize(word)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, tk := range toks {
		if tk.Id == droppedID {
			continue
		}
		out = append(out, tk.Value)
	}
	return out
}

// Expected tokens are worked out by hand from Hugging Face's merge rule:
// lowest rank first, leftmost first among equal ranks; a merge whose pair
// changed meanwhile is skipped.
func TestBPEMerge(t *testing.T) {
	cases := []struct {
		name, model, word string
		want              []string
	}{
		{"leftmost first on ties", `{"vocab":{"a":0,"aa":1,"aaa":2},"merges":["a a","aa a"]}`,
			"aaaaa", []string{"aa", "aaa"}},
		{"leftmost first, odd run", `{"vocab":{"a":0,"aa":1,"aaa":2},"merges":["a a","aa a"]}`,
			"aaa", []string{"aaa"}},
		{"rank beats position", `{"vocab":{"a":0,"b":1,"c":2,"ab":3,"bc":4},"merges":["b c","a b"]}`,
			"abc", []string{"a", "bc"}},
		{"pair merges format", `{"vocab":{"a":0,"b":1,"c":2,"ab":3,"bc":4},"merges":[["a","b"],["b","c"]]}`,
			"abc", []string{"ab", "c"}},
		{"ignore_merges takes a whole-word token", `{"ignore_merges":true,"vocab":{"a":0,"b":1,"c":2,"ab":3,"abc":4},"merges":["a b"]}`,
			"abc", []string{"abc"}},
		{"without ignore_merges merges apply", `{"vocab":{"a":0,"b":1,"c":2,"ab":3,"abc":4},"merges":["a b"]}`,
			"abc", []string{"ab", "c"}},
		{"byte fallback", `{"byte_fallback":true,"vocab":{"a":0,"<0xC3>":1,"<0xA9>":2},"merges":[]}`,
			"aé", []string{"a", "<0xC3>", "<0xA9>"}},
		{"unknown without unk is dropped", `{"vocab":{"a":0},"merges":[]}`,
			"aéa", []string{"a", "a"}},
		{"unk", `{"unk_token":"<unk>","vocab":{"<unk>":0,"x":1},"merges":[]}`,
			"x??x", []string{"x", "<unk>", "<unk>", "x"}},
		{"fused unk", `{"unk_token":"<unk>","fuse_unk":true,"vocab":{"<unk>":0,"x":1},"merges":[]}`,
			"x??x", []string{"x", "<unk>", "x"}},
		{"prefix and suffix", `{"continuing_subword_prefix":"##","end_of_word_suffix":"</w>","vocab":{"a":0,"##b":1,"##c</w>":2,"a##b":3,"ab":4,"ab##c</w>":5,"abc</w>":6},"merges":["a ##b","ab ##c</w>"]}`,
			"abc", []string{"abc</w>"}},
	}
	for _, c := range cases {
		m, err := newBPE([]byte(c.model))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := tokenValues(t, m, c.word); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: Tokenize(%q) = %q, want %q", c.name, c.word, got, c.want)
		}
		var values []string // the encoder's path: ids only
		for _, id := range m.ids(c.word) {
			values = append(values, m.vocabR[id])
		}
		if !reflect.DeepEqual(values, c.want) {
			t.Errorf("%s: ids(%q) give %q, want %q", c.name, c.word, values, c.want)
		}
	}
}

func TestBPEOffsets(t *testing.T) {
	m, err := newBPE([]byte(`{"vocab":{"a":0,"é":1,"aé":2},"merges":["a é"]}`))
	if err != nil {
		t.Fatal(err)
	}
	toks, _ := m.Tokenize("aéé")
	if len(toks) != 2 || !reflect.DeepEqual(toks[0].Offsets, []int{0, 3}) || !reflect.DeepEqual(toks[1].Offsets, []int{3, 5}) {
		t.Fatalf("tokens %+v; want aé [0,3] and é [3,5]", toks)
	}
}

func TestBPEErrors(t *testing.T) {
	cases := []struct{ model, want string }{
		{`{"dropout":0.1,"vocab":{"a":0},"merges":[]}`, "model.dropout"},
		{`{"vocab":{"a":0},"merges":[],"shiny_new_option":true}`, `"shiny_new_option"`},
		{`{"vocab":{},"merges":[]}`, "model.vocab"},
		{`{"unk_token":"<unk>","vocab":{"a":0},"merges":[]}`, `"<unk>"`},
		{`{"vocab":{"a":0},"merges":["a b"]}`, "model.merges[0]"},
		{`{"vocab":{"a":0},"merges":["a"]}`, "model.merges[0]"},
		{`{"vocab":{"a":0},"merges":[["a"]]}`, "model.merges[0]"},
	}
	for _, c := range cases {
		_, err := newBPE([]byte(c.model))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("newBPE(%s) = %v, want an error naming %s", c.model, err, c.want)
		}
	}
}
