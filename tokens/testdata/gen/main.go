// Command gen trains the small byte-level BPE tokenizers the tests use on the
// project's own corpus, so no tokenizer is downloaded. It is deterministic:
// the same corpus gives the same file byte for byte. -style picks the layout:
// gpt2 (ByteLevel pre-tokenizer), or qwen2 / llama3 (the Split regex with
// look-ahead of those families, then ByteLevel without regex, and their
// normalizer, decoder, post-processor and model fields).
//
//	go run ./tokens/testdata/gen -corpus inputs/corpus.txt -out tokens/testdata/tokenizer.json
//	go run ./tokens/testdata/gen -style qwen2 -out tokens/testdata/qwen2/tokenizer.json
//	go run ./tokens/testdata/gen -style llama3 -out tokens/testdata/llama3/tokenizer.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"github.com/dlclark/regexp2/v2"
)

// split is GPT-2's pre-tokenizer pattern without the whitespace alternatives,
// as the ByteLevel pre-tokenizer of github.com/sugarme/tokenizer applies it.
var split = regexp.MustCompile(`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+`)

func main() {
	corpus := flag.String("corpus", "inputs/corpus.txt", "training text")
	out := flag.String("out", "tokens/testdata/tokenizer.json", "tokenizer.json to write")
	merges := flag.Int("merges", 400, "number of BPE merges to learn")
	style := flag.String("style", "gpt2", "tokenizer.json layout: gpt2, qwen2 or llama3")
	flag.Parse()
	text, err := os.ReadFile(*corpus)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	b, err := Generate(string(text), *merges, *style)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// byteChars is GPT-2's bytes_to_unicode table: printable bytes map to
// themselves, the others to code points from 256 up.
func byteChars() [256]string {
	var t [256]string
	n := 0
	for b := 0; b < 256; b++ {
		if (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF) {
			t[b] = string(rune(b))
		} else {
			t[b] = string(rune(256 + n))
			n++
		}
	}
	return t
}

type word struct {
	syms []string
	freq int
}

// Generate trains nMerges merges on text and returns the tokenizer.json bytes.
func Generate(text string, nMerges int, style string) ([]byte, error) {
	bc := byteChars()
	counts := map[string]int{}
	var pieces []string
	switch style {
	case "gpt2":
		pieces = split.FindAllString(text, -1)
	case "qwen2", "llama3":
		re := regexp2.MustCompile(styles[style].pattern)
		for m, _ := re.FindStringMatch(text); m != nil; m, _ = re.FindNextMatch(m) {
			pieces = append(pieces, m.String())
		}
	default:
		return nil, fmt.Errorf("unknown -style %q", style)
	}
	for _, piece := range pieces {
		counts[piece]++
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	words := make([]word, 0, len(keys))
	for _, k := range keys {
		w := word{freq: counts[k]}
		for i := 0; i < len(k); i++ {
			w.syms = append(w.syms, bc[k[i]])
		}
		words = append(words, w)
	}

	vocab := map[string]int{}
	order := []string{}
	add := func(tok string) {
		if _, ok := vocab[tok]; !ok {
			vocab[tok] = len(order)
			order = append(order, tok)
		}
	}
	for b := 0; b < 256; b++ {
		add(bc[b])
	}
	var learned [][2]string
	for len(learned) < nMerges {
		pairs := map[[2]string]int{}
		for _, w := range words {
			for i := 0; i+1 < len(w.syms); i++ {
				pairs[[2]string{w.syms[i], w.syms[i+1]}] += w.freq
			}
		}
		var best [2]string
		bestN := 0
		for p, n := range pairs {
			if n > bestN || (n == bestN && (p[0] < best[0] || (p[0] == best[0] && p[1] < best[1]))) {
				best, bestN = p, n
			}
		}
		if bestN < 2 {
			break
		}
		learned = append(learned, best)
		merged := best[0] + best[1]
		add(merged)
		for wi := range words {
			s := words[wi].syms
			out := s[:0]
			for i := 0; i < len(s); i++ {
				if i+1 < len(s) && s[i] == best[0] && s[i+1] == best[1] {
					out = append(out, merged)
					i++
					continue
				}
				out = append(out, s[i])
			}
			words[wi].syms = out
		}
	}
	if style == "gpt2" {
		return encode(order, learned)
	}
	return encodeStyle(order, learned, styles[style])
}

// writeVocab writes the entries of the vocab object, token: id in id order,
// one to a line.
func writeVocab(b *bytes.Buffer, order []string) error {
	for i, tok := range order {
		k, err := json.Marshal(tok)
		if err != nil {
			return err
		}
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(b, "\n      %s: %d", k, i)
	}
	return nil
}

// encode writes the tokenizer.json: vocab in id order, merges in rank order.
func encode(order []string, merges [][2]string) ([]byte, error) {
	var v bytes.Buffer
	v.WriteString("{")
	if err := writeVocab(&v, order); err != nil {
		return nil, err
	}
	v.WriteString("\n    }")
	ms := make([]string, len(merges))
	for i, m := range merges {
		ms[i] = m[0] + " " + m[1]
	}
	mj, err := json.Marshal(ms)
	if err != nil {
		return nil, err
	}
	special := len(order)
	doc := fmt.Sprintf(`{
  "version": "1.0",
  "truncation": null,
  "padding": null,
  "added_tokens": [
    {"id": %d, "content": "<|endoftext|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}
  ],
  "normalizer": null,
  "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
  "post_processor": null,
  "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
  "model": {
    "type": "BPE",
    "dropout": null,
    "unk_token": null,
    "continuing_subword_prefix": null,
    "end_of_word_suffix": null,
    "fuse_unk": false,
    "byte_fallback": false,
    "vocab": %s,
    "merges": %s
  }
}
`, special, v.String(), strings.ReplaceAll(string(mj), `","`, "\",\n      \""))
	return []byte(doc), nil
}
