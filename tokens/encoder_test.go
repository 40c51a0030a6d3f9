package tokens

import (
	"math/rand"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// fixtures are the three tokenizer families the encoder is checked on.
var fixtures = map[string]string{"gpt2": fixture, "qwen2": "testdata/qwen2", "llama3": "testdata/llama3"}

func loadFixtures(t testing.TB) map[string]*HF {
	t.Helper()
	out := map[string]*HF{}
	for name, path := range fixtures {
		h, err := LoadHF(path)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if h.enc == nil {
			t.Fatalf("%s: BPE file without an encoder", name)
		}
		out[name] = h
	}
	return out
}

func readCorpus(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("../inputs/corpus.txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// hasAdded says whether text holds an added token's content: there the
// encoder follows Hugging Face and sugarme's pipeline does not (it drops
// the token, see TestAddedTokens).
func hasAdded(text string) bool {
	return strings.Contains(text, "<|")
}

// checkSame fails when the encoder and sugarme's pipeline disagree on text.
// The pipeline is given text already normalized: its alignment-tracking
// normalization can misplace split points when a normalizer changes the
// text (it duplicates the "0" of "A\u0300 \x000" under NFC), which Hugging
// Face, normalizing before splitting, never does (TestQwenPipelineByHand).
func checkSame(t *testing.T, name string, h *HF, text string) {
	t.Helper()
	ref := text
	if h.enc.normalize != nil {
		var err error
		if ref, err = h.enc.normalize.normalizeString(text); err != nil {
			t.Fatal(err)
		}
	}
	want, err := h.pipelineEncode(ref)
	if err != nil {
		t.Fatalf("%s: pipeline(%q): %v", name, text, err)
	}
	got, err := h.Encode(text)
	if err != nil {
		t.Fatalf("%s: Encode(%q): %v", name, text, err)
	}
	if len(want) == 0 {
		want = nil
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: Encode(%q) = %v, pipeline %v", name, text, got, want)
	}
	if n := h.Count(text); n != len(want) {
		t.Fatalf("%s: Count(%q) = %d, pipeline %d", name, text, n, len(want))
	}
}

// corpusWindows is count random slices of corpus, each at most maxLen bytes
// long and cut to valid UTF-8.
func corpusWindows(rng *rand.Rand, corpus string, count, maxLen int) []string {
	var out []string
	for range count {
		i, j := rng.Intn(len(corpus)), rng.Intn(len(corpus))
		if i > j {
			i, j = j, i
		}
		out = append(out, strings.ToValidUTF8(corpus[i:min(j, i+maxLen)], ""))
	}
	return out
}

// randomText draws from the characters that matter to the three families:
// letters and contractions, digits, punctuation, white space of all kinds,
// combining marks (NFC), CJK and emoji.
func randomText(rng *rand.Rand, n int) string {
	alphabet := []rune("aaeeiotnsrhlZQé你好1٣0 \t\n\r\u00a0\u3000\u2003'sStTrRvVmMlLdD.,!?-_()😀\u0301\u0300ǹ<|>")
	b := make([]rune, rng.Intn(n))
	for i := range b {
		b[i] = alphabet[rng.Intn(len(alphabet))]
	}
	return string(b)
}

// The encoder gives the ids sugarme's pipeline gives, on the corpus (whole,
// line by line, and in random windows) and on random text.
func TestEncoderMatchesPipeline(t *testing.T) {
	corpus := readCorpus(t)
	rng := rand.New(rand.NewSource(1))
	texts := append([]string{corpus}, strings.Split(corpus, "\n")...)
	texts = append(texts, corpusWindows(rng, corpus, 300, 400)...)
	for range 3000 {
		texts = append(texts, randomText(rng, 40))
	}
	texts = append(texts, strings.Repeat(" ", 1000)+"x", "a"+strings.Repeat("\n", 300), strings.Repeat("ab", 400))
	for name, h := range loadFixtures(t) {
		for _, text := range texts {
			if !hasAdded(text) {
				checkSame(t, name, h, text)
			}
		}
	}
}

// FuzzEncoder: on any valid UTF-8 text without added tokens, the encoder and
// sugarme's pipeline agree for all three families. Seeds:
// testdata/fuzz/FuzzEncoder.
func FuzzEncoder(f *testing.F) {
	hs := loadFixtures(f)
	f.Add("The keeper of the northern light, 1893.\n\n  It's   over")
	f.Add("e\u0301 你好，世界 — ünïcode\u00a0and\u3000spaces 1234567")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) || hasAdded(text) {
			return
		}
		for name, h := range hs {
			checkSame(t, name, h, text)
		}
	})
}

// Invalid UTF-8 (sugarme's pipeline panics on it) counts as Go's JSON
// decoder would have delivered it: each bad byte a U+FFFD.
func TestEncoderInvalidUTF8(t *testing.T) {
	for name, h := range loadFixtures(t) {
		text := "\xff\xfe not utf-8 \xe9\t\n"
		want := h.Count(string([]rune(text)))
		if got := h.Count(text); got != want || got <= 0 {
			t.Errorf("%s: Count(invalid) = %d, want %d", name, got, want)
		}
	}
}

// Counting from many goroutines at once (run with -race) gives the counts
// of a serial run, while the cache fills and, past its bound, empties.
func TestEncoderConcurrent(t *testing.T) {
	h, err := LoadHF("testdata/qwen2")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(2))
	texts := make([]string, 200)
	want := make([]int, len(texts))
	for i := range texts {
		texts[i] = randomText(rng, 300)
		ids, err := h.pipelineEncode(texts[i])
		if err != nil {
			t.Fatal(err)
		}
		want[i] = len(ids)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 3 * len(texts) {
				i := (k*7 + g*31) % len(texts)
				if hasAdded(texts[i]) {
					continue
				}
				if got := h.Count(texts[i]); got != want[i] {
					t.Errorf("Count(%q) = %d, want %d", texts[i], got, want[i])
					return
				}
			}
		}()
	}
	wg.Wait()
	if n := h.enc.cache.len(); n == 0 || n > cacheCap {
		t.Errorf("cache holds %d words, want 1..%d", n, cacheCap)
	}
}

func TestWordCacheBounded(t *testing.T) {
	c := newWordCache()
	for i := range 5 * cacheCap {
		c.put("w"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune(0x4e00+i)), []int{i})
	}
	if n := c.len(); n == 0 || n > cacheCap {
		t.Fatalf("cache holds %d words, want 1..%d", n, cacheCap)
	}
	long := strings.Repeat("y", cacheMaxWord+1)
	c.put(long, []int{1})
	if _, ok := c.get(long); ok {
		t.Error("a word longer than cacheMaxWord was cached")
	}
	c.put("keep", []int{4, 2})
	if ids, ok := c.get("keep"); !ok || !reflect.DeepEqual(ids, []int{4, 2}) {
		t.Errorf("get(keep) = %v, %v", ids, ok)
	}
}
