package tokens

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

const fixture = "testdata/tokenizer.json"

func TestOpen(t *testing.T) {
	c, err := Open("")
	if err != nil || c.Name() != "words" {
		t.Fatalf("Open(\"\") = %v, %v; want the word rule", c, err)
	}
	for _, path := range []string{fixture, "testdata"} { // a file or its directory
		c, err := Open(path)
		if err != nil {
			t.Fatalf("Open(%q): %v", path, err)
		}
		if c.Name() != "tokenizer:testdata" {
			t.Errorf("Name = %q", c.Name())
		}
	}
}

func TestLoadHFErrors(t *testing.T) {
	cases := []struct{ path, file, want string }{
		{"testdata/nope.json", "testdata/nope.json", "no such file"},
		{"testdata/gen", "testdata/gen/tokenizer.json", "no such file"},
		{"testdata/bad/empty.json", "", "empty file"},
		{"testdata/bad/truncated.json", "", "corrupt tokenizer.json"},
		{"testdata/bad/wrong_type.json", "", "tokenizer.json"},
		{"testdata/bad/unknown_model.json", "", "corrupt tokenizer.json"},
		{"testdata/bad/unknown_field.json", "", `pre_tokenizer (ByteLevel): unsupported or malformed field: json: unknown field "shiny_new_option"`},
		{"testdata/bad/bad_regex.json", "", "pre_tokenizer (Split): regex"},
		{"testdata/bad/dropout.json", "", "tokenizer.json: model.dropout"},
		{"/dev/zero", "", "not a regular file (a device)"}, // never ends: refused unread
	}
	for _, c := range cases {
		_, err := LoadHF(c.path)
		if err == nil {
			t.Errorf("LoadHF(%q): no error", c.path)
			continue
		}
		msg := err.Error()
		file := c.file
		if file == "" {
			file = c.path
		}
		if !strings.HasPrefix(msg, "--tokenizer: "+file+": ") || !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
			t.Errorf("LoadHF(%q) error = %q; want one line naming --tokenizer, %s and %q", c.path, msg, file, c.want)
		}
	}
}

func TestHFCount(t *testing.T) {
	h, err := LoadHF(fixture)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		text string
		want int
	}{
		{"", 0},
		{" harbour", 1}, // a merged word
		{"harbour", 3},  // no leading space: other merges
		{"The keeper of the northern light rose", 11},
		{"ünïcode 1893", 14}, // bytes the corpus never merged stay single bytes
	}
	for _, c := range cases {
		if got := h.Count(c.text); got != c.want {
			ids, _ := h.Encode(c.text)
			t.Errorf("Count(%q) = %d (ids %v), want %d", c.text, got, ids, c.want)
		}
	}
}

func TestHFRoundTrip(t *testing.T) {
	h, err := LoadHF(fixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"The keeper of the northern light rose.", "tabs\tand  two spaces\n\nnew lines", "héllo wörld, it's 42"} {
		ids, err := h.Encode(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := h.Decode(ids); got != s {
			t.Errorf("Decode(Encode(%q)) = %q", s, got)
		}
	}
}

// The probe counts output tokens from many goroutines at once (run with -race).
func TestHFConcurrent(t *testing.T) {
	h, err := LoadHF(fixture)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("the sea was still the colour of slate ", 20)
	want := h.Count(text)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				if got := h.Count(text); got != want {
					t.Errorf("concurrent Count = %d, want %d", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// The committed fixtures are what the generator makes from the corpus.
func TestFixtureUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the generator")
	}
	gen := filepath.Join(t.TempDir(), "gen")
	if b, err := exec.Command("go", "build", "-o", gen, "./testdata/gen").CombinedOutput(); err != nil {
		t.Fatalf("go build ./testdata/gen: %v\n%s", err, b)
	}
	for style, fixture := range map[string]string{"gpt2": fixture, "qwen2": "testdata/qwen2/tokenizer.json", "llama3": "testdata/llama3/tokenizer.json"} {
		out := filepath.Join(t.TempDir(), "tokenizer.json")
		cmd := exec.Command(gen, "-style", style, "-corpus", "../inputs/corpus.txt", "-out", out)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gen -style %s: %v\n%s", style, err, b)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(fixture)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: regenerate with go run ./tokens/testdata/gen -style %s", fixture, style)
		}
	}
}

// A Split regex with look-ahead, which Go's regexp cannot compile, loads:
// "a  a" splits into "a", " ", " ", "a" and the vocab has only "a".
func TestLookaheadLoads(t *testing.T) {
	h, err := LoadHF("testdata/tiny_lookahead.json")
	if err != nil {
		t.Fatal(err)
	}
	ids, err := h.Encode("a  a")
	if err != nil || !reflect.DeepEqual(ids, []int{0, 0}) {
		t.Fatalf("Encode = %v, %v; want [0 0] (spaces are not in the vocab and are dropped)", ids, err)
	}
}

// FuzzHFCount: any text, valid UTF-8 or not, is counted without a panic and
// decodes back from its own ids. Seeds: testdata/fuzz/FuzzHFCount.
func FuzzHFCount(f *testing.F) {
	h, err := LoadHF(fixture)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("The keeper of the northern light")
	f.Fuzz(func(t *testing.T, text string) {
		n := h.Count(text)
		ids, err := h.Encode(text)
		if err != nil {
			if n != -1 {
				t.Fatalf("Encode failed (%v) but Count = %d", err, n)
			}
			return
		}
		if n != len(ids) {
			t.Fatalf("Count %d, Encode %d ids", n, len(ids))
		}
		_ = h.Decode(ids)
	})
}
