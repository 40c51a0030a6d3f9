package tokens

import (
	"sync"
	"unicode/utf8"

	"github.com/sugarme/tokenizer"
	"github.com/sugarme/tokenizer/normalizer"
	"github.com/sugarme/tokenizer/pretokenizer"
)

// encoder is the counting path of a BPE tokenizer: what Hugging Face's
// encode computes for the ids, on plain strings. Added tokens are split out,
// the rest is normalized and pre-tokenized into words, and each word's ids
// come from a bounded cache or, on a miss, from byte-level mapping and BPE.
// No offsets, alignments or per-token structs are built. It is safe for
// concurrent use.
type encoder struct {
	raw       *addedSet        // added tokens matched before normalizing
	norm      *addedSet        // added tokens matched after normalizing
	normalize stringNormalizer // nil: none
	pre       []stringSplitter // pre-tokenizer steps, in order
	byteLevel bool             // words are raw text: map their bytes on a cache miss
	model     *bpe
	cache     *wordCache
}

// stringNormalizer normalizes plain text.
type stringNormalizer interface {
	normalizeString(s string) (string, error)
}

// stringSplitter is a pre-tokenizer step on plain text: it appends the
// pieces of s to dst (empty pieces may be left out or not: the encoder
// skips them, as Hugging Face does).
type stringSplitter interface {
	splitString(dst []string, s string) ([]string, error)
}

// newEncoder builds the counting path from the parts build made.
func newEncoder(model *bpe, n normalizer.Normalizer, pre tokenizer.PreTokenizer, added []addedToken) (*encoder, error) {
	e := &encoder{model: model, cache: newWordCache()}
	if n != nil {
		e.normalize = asStringNormalizer(n)
	}
	var raw, normed []addedToken
	for _, t := range added {
		if !t.Normalized {
			raw = append(raw, t)
			continue
		}
		if e.normalize != nil {
			c, err := e.normalize.normalizeString(t.Content)
			if err != nil {
				return nil, err
			}
			t.Content = c
		}
		normed = append(normed, t)
	}
	e.raw, e.norm = newAddedSet(raw), newAddedSet(normed)
	steps := []tokenizer.PreTokenizer{pre}
	if s, ok := pre.(preSequence); ok {
		steps = s
	}
	for i, p := range steps {
		if p == nil {
			continue
		}
		if b, ok := p.(*byteLevel); ok && i == len(steps)-1 {
			// The last step maps bytes: leave it to the word cache's miss path.
			split := *b
			split.deferMap = true
			p, e.byteLevel = &split, true
		}
		e.pre = append(e.pre, asStringSplitter(p))
	}
	return e, nil
}

// scratch holds the slices one encode reuses.
type scratch struct {
	segs, normSegs []segment
	a, b           []string
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// encode appends the ids of text to dst when keep is set, and returns them
// with their number.
func (e *encoder) encode(text string, dst []int, keep bool) ([]int, int, error) {
	if !utf8.ValidString(text) {
		// Every invalid byte becomes U+FFFD, as Go's JSON decoder does with
		// the response text this usually counts.
		text = string([]rune(text))
	}
	sc := scratchPool.Get().(*scratch)
	defer func() {
		clear(sc.segs) // do not keep the text alive from the pool
		clear(sc.normSegs)
		scratchPool.Put(sc)
	}()
	n := 0
	sc.segs = e.raw.split(sc.segs[:0], text)
	for _, s := range sc.segs {
		if s.id >= 0 {
			n++
			if keep {
				dst = append(dst, s.id)
			}
			continue
		}
		t := s.text
		if e.normalize != nil {
			var err error
			if t, err = e.normalize.normalizeString(t); err != nil {
				return nil, 0, err
			}
		}
		sc.normSegs = e.norm.split(sc.normSegs[:0], t)
		for _, ns := range sc.normSegs {
			if ns.id >= 0 {
				n++
				if keep {
					dst = append(dst, ns.id)
				}
				continue
			}
			var err error
			if dst, n, err = e.words(sc, ns.text, dst, n, keep); err != nil {
				return nil, 0, err
			}
		}
	}
	return dst, n, nil
}

// words pre-tokenizes normalized text and adds its words' ids.
func (e *encoder) words(sc *scratch, text string, dst []int, n int, keep bool) ([]int, int, error) {
	sc.a = append(sc.a[:0], text)
	for _, step := range e.pre {
		next := sc.b[:0]
		for _, w := range sc.a {
			if w == "" {
				continue
			}
			var err error
			if next, err = step.splitString(next, w); err != nil {
				return nil, 0, err
			}
		}
		sc.a, sc.b = next, sc.a
	}
	for _, w := range sc.a {
		if w == "" {
			continue
		}
		ids := e.word(w)
		n += len(ids)
		if keep {
			dst = append(dst, ids...)
		}
	}
	clear(sc.a) // do not keep the text alive from the pool
	clear(sc.b)
	return dst, n, nil
}

// word returns the ids of one pre-tokenized word, cached.
func (e *encoder) word(w string) []int {
	if ids, ok := e.cache.get(w); ok {
		return ids
	}
	mapped := w
	if e.byteLevel {
		mapped = mapBytes(w)
	}
	ids := e.model.ids(mapped)
	e.cache.put(w, ids)
	return ids
}

// byteChars is GPT-2's bytes_to_unicode: the printable stand-in of each byte.
var byteChars = func() (t [256]string) {
	for b := range t {
		t[b] = pretokenizer.BytesChar[uint8(b)]
	}
	return t
}()

// mapBytes replaces every byte of s by its stand-in (HF's ByteLevel).
func mapBytes(s string) string {
	buf := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		buf = append(buf, byteChars[s[i]]...)
	}
	return string(buf)
}
