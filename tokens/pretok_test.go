package tokens

import (
	"encoding/json"
	"math/rand"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/sugarme/tokenizer/normalizer"
	"github.com/sugarme/tokenizer/pretokenizer"
)

// familyPattern reads the Split regex of a fixture, so the tests check the
// pattern the fixture (and a real Qwen2/Llama 3 file) carries.
func familyPattern(t testing.TB, family string) *regexPattern {
	t.Helper()
	raw, err := os.ReadFile("testdata/" + family + "/tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		PreTokenizer struct {
			PreTokenizers []struct {
				Pattern struct{ Regex string }
			} `json:"pretokenizers"`
		} `json:"pre_tokenizer"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	p, err := compilePattern(f.PreTokenizer.PreTokenizers[0].Pattern.Regex)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Expected pieces are derived by hand from the regex: alternatives are tried
// in order at each position; `\s+(?!\S)` takes a white-space run but its last
// character when a non-space follows (that character then leads the next
// word), the whole run at the end of the text.
func TestSplitPieces(t *testing.T) {
	cases := []struct {
		name, text string
		qwen2      []string
		llama3     []string // nil: same as qwen2
	}{
		{"two spaces", "Hello  world", []string{"Hello", " ", " world"}, nil},
		{"look-ahead", "Hello  world\n\n  x", []string{"Hello", " ", " world", "\n\n", " ", " x"}, nil},
		{"trailing run", "end.   ", []string{"end", ".", "   "}, nil},
		{"one space at end", "a ", []string{"a", " "}, nil},
		{"tab then word", "a\t\tb", []string{"a", "\t", "\tb"}, nil},
		{"newline keeps punctuation", "Hi!\n\nNext", []string{"Hi", "!\n\n", "Next"}, nil},
		{"spaces before newline", "a  \n b", []string{"a", "  \n", " b"}, nil},
		{"contractions any case", "I'M sure it's", []string{"I", "'M", " sure", " it", "'s"}, nil},
		{"contraction ll and d", "we'll they'D", []string{"we", "'ll", " they", "'D"}, nil},
		{"not a contraction", "'x", []string{"'x"}, nil},
		{"digits", "in 2024, 12345", []string{"in", " ", "2", "0", "2", "4", ",", " ", "1", "2", "3", "4", "5"},
			[]string{"in", " ", "202", "4", ",", " ", "123", "45"}},
		{"punctuation leads letters", "(hello) ok", []string{"(hello", ")", " ok"}, nil},
		{"space then punctuation", "a ...b", []string{"a", " ...", "b"}, nil},
		{"CJK", "你好，世界", []string{"你好", "，世界"}, nil},
		{"no-break space is white space", "a\u00a0\u00a0b", []string{"a", "\u00a0", "\u00a0b"}, nil},
		{"ideographic space", "a\u3000b", []string{"a", "\u3000b"}, nil},
		{"empty", "", nil, nil},
	}
	q, l := familyPattern(t, "qwen2"), familyPattern(t, "llama3")
	for _, c := range cases {
		want := c.llama3
		if want == nil {
			want = c.qwen2
		}
		if got := q.pieces(c.text); !reflect.DeepEqual(got, c.qwen2) {
			t.Errorf("qwen2 %s: pieces(%q) = %q, want %q", c.name, c.text, got, c.qwen2)
		}
		if got := l.pieces(c.text); !reflect.DeepEqual(got, want) {
			t.Errorf("llama3 %s: pieces(%q) = %q, want %q", c.name, c.text, got, want)
		}
	}
}

// scanPieces is a second, regex-free implementation of the Qwen2 (maxDigits
// 1) and Llama 3 (maxDigits 3) split, written from the pattern's meaning.
func scanPieces(text string, maxDigits int) []string {
	r := []rune(text)
	isL, isN, isS := unicode.IsLetter, unicode.IsNumber, unicode.IsSpace
	isNL := func(c rune) bool { return c == '\r' || c == '\n' }
	other := func(c rune) bool { return !isS(c) && !isL(c) && !isN(c) }
	var out []string
	for i := 0; i < len(r); {
		end := func() int {
			// (?i:'s|'t|'re|'ve|'m|'ll|'d)
			if r[i] == '\'' {
				rest := strings.ToLower(string(r[i+1 : min(i+3, len(r))]))
				for _, c := range []string{"s", "t", "re", "ve", "m", "ll", "d"} {
					if strings.HasPrefix(rest, c) {
						return i + 1 + len(c)
					}
				}
			}
			// [^\r\n\p{L}\p{N}]?\p{L}+
			j := i
			if !isNL(r[j]) && !isL(r[j]) && !isN(r[j]) && j+1 < len(r) && isL(r[j+1]) {
				j++
			}
			if isL(r[j]) {
				for j < len(r) && isL(r[j]) {
					j++
				}
				return j
			}
			// \p{N}{1,maxDigits}
			if isN(r[i]) {
				j := i
				for j < len(r) && j-i < maxDigits && isN(r[j]) {
					j++
				}
				return j
			}
			// " ?[^\s\p{L}\p{N}]+[\r\n]*"
			j = i
			if r[j] == ' ' && j+1 < len(r) && other(r[j+1]) {
				j++
			}
			if other(r[j]) {
				for j < len(r) && other(r[j]) {
					j++
				}
				for j < len(r) && isNL(r[j]) {
					j++
				}
				return j
			}
			// r[i] is white space: the run is [i, e).
			e := i
			for e < len(r) && isS(r[e]) {
				e++
			}
			// \s*[\r\n]+ : up to the run's last line break.
			for k := e - 1; k >= i; k-- {
				if isNL(r[k]) {
					return k + 1
				}
			}
			// \s+(?!\S) then \s+
			if e == len(r) || e-i == 1 {
				return e
			}
			return e - 1
		}()
		out = append(out, string(r[i:end]))
		i = end
	}
	return out
}

// The regexp2 split agrees with the regex-free scanner on random text drawn
// from the characters that matter (fixed seed; FuzzSplit explores further).
func TestSplitMatchesScanner(t *testing.T) {
	alphabet := []rune("aZé你1٣ \t\n\r\u00a0\u3000'sSrRlLdDeEvV.,!?-_()😀\u0301")
	rng := rand.New(rand.NewSource(7))
	q, l := familyPattern(t, "qwen2"), familyPattern(t, "llama3")
	for n := 0; n < 3000; n++ {
		b := make([]rune, rng.Intn(24))
		for i := range b {
			b[i] = alphabet[rng.Intn(len(alphabet))]
		}
		text := string(b)
		checkScanner(t, q, l, text)
	}
}

func checkScanner(t *testing.T, q, l *regexPattern, text string) {
	t.Helper()
	if got, want := q.pieces(text), scanPieces(text, 1); !reflect.DeepEqual(got, want) {
		t.Fatalf("qwen2 pieces(%q) = %q, scanner %q", text, got, want)
	}
	if got, want := l.pieces(text), scanPieces(text, 3); !reflect.DeepEqual(got, want) {
		t.Fatalf("llama3 pieces(%q) = %q, scanner %q", text, got, want)
	}
	// The encoder's split (scan.go for these patterns) agrees with regexp2
	// and with sugarme's Split, for every behavior, inverted or not.
	for name, p := range map[string]*regexPattern{"qwen2": q, "llama3": l, "gpt2": gpt2Pattern} {
		if p.scan == nil {
			t.Fatalf("%s: the pattern has no scanner", name)
		}
		regex := &regexPattern{re: p.re}
		for bname, b := range behaviors {
			for _, invert := range []bool{false, true} {
				got, err := p.split(nil, text, b, invert)
				if err != nil {
					t.Fatal(err)
				}
				want, err := regex.split(nil, text, b, invert)
				if err != nil {
					t.Fatal(err)
				}
				var pat normalizer.Pattern = regex
				if invert {
					pat = invertedPattern{regex}
				}
				sugar, err := sugarSplitter{pretokenizer.NewSplit(pat, b, false)}.splitString(nil, text)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(nonEmpty(sugar), want) {
					t.Fatalf("%s %s invert=%v split(%q): scanner %q, regexp2 %q, sugarme %q", name, bname, invert, text, got, want, sugar)
				}
			}
		}
	}
}

func nonEmpty(pieces []string) []string {
	var out []string
	for _, p := range pieces {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// FuzzSplit: the implementations agree on any valid UTF-8 text.
func FuzzSplit(f *testing.F) {
	q, l := familyPattern(f, "qwen2"), familyPattern(f, "llama3")
	f.Add("Hello  world\n\n  x it's 12345 你好")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8Valid(text) {
			return // Hugging Face only ever sees valid UTF-8
		}
		checkScanner(t, q, l, text)
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// A long white-space run splits without exhausting the backtracking stack.
func TestSplitLongRun(t *testing.T) {
	q := familyPattern(t, "qwen2")
	text := "a" + strings.Repeat(" ", 200000) + "b"
	got := q.pieces(text)
	if len(got) != 3 || len(got[1]) != 199999 || got[2] != " b" {
		t.Fatalf("pieces of a long run: %d pieces", len(got))
	}
}

// pieces returns the substrings text splits into when every match and every
// gap between matches is its own piece (the Isolated behaviour).
func (p *regexPattern) pieces(text string) []string {
	var out []string
	for _, m := range p.FindMatches(text) {
		if m.Offsets[1] > m.Offsets[0] {
			out = append(out, text[m.Offsets[0]:m.Offsets[1]])
		}
	}
	return out
}
