package tokens

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/sugarme/tokenizer"
)

// HF is a Hugging Face tokenizer loaded from a local tokenizer.json, in pure
// Go: the BPE model, the Unicode normalizers and the Split/ByteLevel
// pre-tokenizers are this package's own, exact to Hugging Face (so GPT-2,
// Llama 3 and Qwen2/Qwen2.5 files load, look-ahead regexes included), and a
// BPE file is encoded by this package's encoder (encoder.go, with a word
// cache); other normalizers and pre-tokenizers, the decoders and the
// WordPiece, WordLevel and Unigram models (encoded by sugarme's pipeline) are
// github.com/sugarme/tokenizer's. It counts as AIPerf does: encode without
// the post-processor's special tokens, no chat template. It is safe for
// concurrent use.
type HF struct {
	tk   *tokenizer.Tokenizer
	enc  *encoder // nil: not BPE, sugarme's pipeline encodes
	name string
	chat *ChatTemplate // --apply-chat-template's template; nil: none
}

// Open returns the counter chosen by --tokenizer: the word rule when path is
// empty, else the Hugging Face tokenizer at path. Errors are one line naming
// --tokenizer and the file.
func Open(path string) (Counter, error) {
	if path == "" {
		return Words{}, nil
	}
	return LoadHF(path)
}

// LoadHF loads path: a tokenizer.json file, or a directory holding one.
// maxTokenizerBytes bounds a tokenizer.json (the largest vocabularies are
// some tens of megabytes).
const maxTokenizerBytes = 1 << 30

func LoadHF(path string) (*HF, error) {
	file := path
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		file = filepath.Join(path, "tokenizer.json")
	}
	fail := func(msg string) error { return fmt.Errorf("--tokenizer: %s: %s", file, msg) }
	raw, err := boundedfile.Read(file, maxTokenizerBytes)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fail("no such file (want a Hugging Face tokenizer.json, or a directory holding one)")
	case err != nil:
		return nil, fail(err.Error())
	case len(bytes.TrimSpace(raw)) == 0:
		return nil, fail("empty file")
	}
	tk, enc, err := parse(raw)
	if err != nil {
		return nil, fail(oneLine(err.Error()))
	}
	h := &HF{tk: tk, enc: enc, name: "tokenizer:" + filepath.Base(filepath.Dir(file))}
	// A tokenizer that cannot encode plain prose is as broken as a corrupt file.
	if _, _, err := h.encode("The keeper of the light, 1893.", true); err != nil {
		return nil, fail(oneLine(err.Error()))
	}
	return h, nil
}

// parse builds the tokenizer (build.go); the library panics on some
// malformed files (wrong JSON types), which becomes an error.
func parse(raw []byte) (tk *tokenizer.Tokenizer, enc *encoder, err error) {
	defer func() {
		if p := recover(); p != nil {
			tk, enc, err = nil, nil, fmt.Errorf("unsupported or corrupt tokenizer.json: %v", p)
		}
	}()
	if tk, enc, err = build(raw); err != nil && !strings.Contains(err.Error(), "tokenizer.json") {
		err = fmt.Errorf("tokenizer.json: %w", err)
	}
	return tk, enc, err
}

// encode returns the token ids of text (keep) or only their number.
func (h *HF) encode(text string, keep bool) (ids []int, n int, err error) {
	if text == "" {
		return nil, 0, nil
	}
	defer func() {
		if p := recover(); p != nil {
			ids, n, err = nil, 0, fmt.Errorf("tokenizer failed: %v", p)
		}
	}()
	if h.enc == nil {
		ids, err = h.pipelineEncode(text)
		return ids, len(ids), err
	}
	return h.enc.encode(text, nil, keep)
}

// pipelineEncode encodes text with sugarme's pipeline: for models other
// than BPE, and the reference the encoder is tested against.
func (h *HF) pipelineEncode(text string) (ids []int, err error) {
	if text == "" {
		return nil, nil
	}
	defer func() {
		if p := recover(); p != nil {
			ids, err = nil, fmt.Errorf("tokenizer failed: %v", p)
		}
	}()
	enc, err := h.tk.EncodeSingle(text, false)
	if err != nil {
		return nil, err
	}
	ids = enc.Ids[:0] // filtered in place: the encoding is ours
	for _, id := range enc.Ids {
		if id != droppedID {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// Count returns the number of tokens of text, or -1 (unknown) if the tokenizer
// fails on it.
func (h *HF) Count(text string) int {
	_, n, err := h.encode(text, false)
	if err != nil {
		return -1
	}
	return n
}

// Encode returns the token ids of text (no special tokens).
func (h *HF) Encode(text string) ([]int, error) {
	ids, _, err := h.encode(text, true)
	return ids, err
}

// Decode turns ids back into text.
func (h *HF) Decode(ids []int) string {
	if len(ids) == 0 {
		return ""
	}
	return h.tk.Decode(ids, true)
}

// Name is "tokenizer:<directory of the tokenizer.json>", for the report.
func (h *HF) Name() string { return h.name }

// oneLine keeps the first line of a library message.
func oneLine(s string) string {
	if i := bytes.IndexByte([]byte(s), '\n'); i >= 0 {
		s = s[:i]
	}
	const max = 200
	if len(s) > max {
		s = s[:max] + "..."
	}
	return s
}
