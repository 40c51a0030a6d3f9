package tokens

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sugarme/tokenizer"
	"github.com/sugarme/tokenizer/normalizer"
	"github.com/sugarme/tokenizer/pretokenizer"
	"github.com/sugarme/tokenizer/pretrained"
)

// gpt2Split is the pattern Hugging Face's ByteLevel pre-tokenizer splits with
// when use_regex is true (GPT-2's, with its white-space look-ahead).
const gpt2Split = `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`

var gpt2Pattern = mustPattern(gpt2Split)

func mustPattern(expr string) *regexPattern {
	p, err := compilePattern(expr)
	if err != nil {
		panic(err)
	}
	return p
}

// buildPreTokenizer builds the pre_tokenizer section. Split, ByteLevel and
// Sequence are our own (sugarme compiles Split regexes with Go's regexp and
// its ByteLevel ignores use_regex and drops GPT-2's white-space rules); any
// other type is built by sugarme. where names the section in errors.
func buildPreTokenizer(raw json.RawMessage, where string) (tokenizer.PreTokenizer, error) {
	if isNull(raw) {
		return nil, nil
	}
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	switch head.Type {
	case "Sequence":
		var c struct {
			Type          string            `json:"type"`
			PreTokenizers []json.RawMessage `json:"pretokenizers"`
		}
		if err := strictDecode(raw, &c); err != nil {
			return nil, fmt.Errorf("%s (Sequence): %w", where, err)
		}
		var steps preSequence
		for i, r := range c.PreTokenizers {
			p, err := buildPreTokenizer(r, fmt.Sprintf("%s.pretokenizers[%d]", where, i))
			if err != nil {
				return nil, err
			}
			if p != nil {
				steps = append(steps, p)
			}
		}
		return steps, nil
	case "Split":
		return buildSplit(raw, where)
	case "ByteLevel":
		c := struct {
			Type           string `json:"type"`
			AddPrefixSpace *bool  `json:"add_prefix_space"`
			TrimOffsets    *bool  `json:"trim_offsets"` // offsets only: no effect on ids
			UseRegex       *bool  `json:"use_regex"`
		}{}
		if err := strictDecode(raw, &c); err != nil {
			return nil, fmt.Errorf("%s (ByteLevel): %w", where, err)
		}
		// Hugging Face's defaults when a field is missing: both true.
		return &byteLevel{addPrefixSpace: orTrue(c.AddPrefixSpace), useRegex: orTrue(c.UseRegex)}, nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	p, err := pretrained.CreatePreTokenizer(m)
	if err != nil {
		return nil, fmt.Errorf("%s: unsupported pre-tokenizer type %q", where, head.Type)
	}
	return p, nil
}

// buildSplit builds a Split pre-tokenizer: {"pattern": {"Regex": r} or
// {"String": s}, "behavior", "invert"}.
func buildSplit(raw json.RawMessage, where string) (tokenizer.PreTokenizer, error) {
	var c struct {
		Type    string `json:"type"`
		Pattern struct {
			Regex  *string `json:"Regex"`
			String *string `json:"String"`
		} `json:"pattern"`
		Behavior string `json:"behavior"`
		Invert   bool   `json:"invert"`
	}
	if err := strictDecode(raw, &c); err != nil {
		return nil, fmt.Errorf("%s (Split): %w", where, err)
	}
	var (
		p   *regexPattern
		err error
	)
	switch {
	case c.Pattern.Regex != nil:
		p, err = compilePattern(*c.Pattern.Regex)
	case c.Pattern.String != nil:
		p, err = literalPattern(*c.Pattern.String)
	default:
		err = fmt.Errorf("pattern wants Regex or String")
	}
	if err != nil {
		return nil, fmt.Errorf("%s (Split): %w", where, err)
	}
	b, ok := behaviors[c.Behavior]
	if !ok {
		return nil, fmt.Errorf("%s (Split): unsupported behavior %q", where, c.Behavior)
	}
	// sugarme's own inversion only knows its pattern types (and exits the
	// process on others): ours inverts in the pattern.
	var sp normalizer.Pattern = p
	if c.Invert {
		sp = invertedPattern{p}
	}
	return &split{Split: pretokenizer.NewSplit(sp, b, false), pattern: p, behavior: b, invert: c.Invert}, nil
}

// invertedPattern flips which ranges of a pattern are matches.
type invertedPattern struct{ p *regexPattern }

// FindMatches implements normalizer.Pattern.
func (i invertedPattern) FindMatches(inside string) []normalizer.OffsetsMatch {
	out := i.p.FindMatches(inside)
	for k := range out {
		out[k].Match = !out[k].Match
	}
	return out
}

// preSequence runs pre-tokenizers in order (HF's Sequence).
type preSequence []tokenizer.PreTokenizer

// PreTokenize implements tokenizer.PreTokenizer.
func (s preSequence) PreTokenize(pt *tokenizer.PreTokenizedString) (*tokenizer.PreTokenizedString, error) {
	var err error
	for _, p := range s {
		if pt, err = p.PreTokenize(pt); err != nil {
			return nil, err
		}
	}
	return pt, nil
}

func (s preSequence) splitString(dst []string, text string) ([]string, error) {
	pieces := []string{text}
	for _, p := range s {
		var next []string
		for _, piece := range pieces {
			var err error
			if next, err = asStringSplitter(p).splitString(next, piece); err != nil {
				return nil, err
			}
		}
		pieces = next
	}
	return append(dst, pieces...), nil
}

// split is the Split pre-tokenizer: sugarme's for its pipeline, with a
// plain-string path for the encoder.
type split struct {
	*pretokenizer.Split
	pattern  *regexPattern
	behavior normalizer.SplitDelimiterBehavior
	invert   bool
}

func (s *split) splitString(dst []string, text string) ([]string, error) {
	return s.pattern.split(dst, text, s.behavior, s.invert)
}

// asStringSplitter gives a pre-tokenizer's plain-string path: its own, or
// sugarme's pipeline run on the one piece for types only sugarme has.
func asStringSplitter(p tokenizer.PreTokenizer) stringSplitter {
	if s, ok := p.(stringSplitter); ok {
		return s
	}
	return sugarSplitter{p}
}

type sugarSplitter struct{ tokenizer.PreTokenizer }

func (s sugarSplitter) splitString(dst []string, text string) ([]string, error) {
	pt, err := s.PreTokenize(tokenizer.NewPreTokenizedString(text))
	if err != nil {
		return nil, err
	}
	for _, t := range pt.GetSplits(normalizer.NormalizedTarget, tokenizer.Byte) {
		dst = append(dst, t.Value)
	}
	return dst, nil
}

// behaviors are Hugging Face's SplitDelimiterBehavior names.
var behaviors = map[string]normalizer.SplitDelimiterBehavior{
	"Removed":            normalizer.RemovedBehavior,
	"Isolated":           normalizer.IsolatedBehavior,
	"MergedWithPrevious": normalizer.MergedWithPreviousBehavior,
	"MergedWithNext":     normalizer.MergedWithNextBehavior,
	"Contiguous":         normalizer.ContiguousBehavior,
}

// byteLevel is Hugging Face's ByteLevel pre-tokenizer: optionally prefix a
// space, optionally split with GPT-2's pattern, then map every byte of the
// text to its printable stand-in (GPT-2's bytes_to_unicode), which is what
// the vocabulary is written in.
type byteLevel struct {
	addPrefixSpace bool
	useRegex       bool
	deferMap       bool // splitString leaves the mapping to the encoder
}

func (b *byteLevel) splitString(dst []string, text string) ([]string, error) {
	if b.addPrefixSpace && !strings.HasPrefix(text, " ") {
		text = " " + text
	}
	from := len(dst)
	if b.useRegex {
		var err error
		if dst, err = gpt2Pattern.split(dst, text, normalizer.IsolatedBehavior, false); err != nil {
			return nil, err
		}
	} else {
		dst = append(dst, text)
	}
	if !b.deferMap {
		for i := from; i < len(dst); i++ {
			dst[i] = mapBytes(dst[i])
		}
	}
	return dst, nil
}

// PreTokenize implements tokenizer.PreTokenizer.
func (b *byteLevel) PreTokenize(pt *tokenizer.PreTokenizedString) (*tokenizer.PreTokenizedString, error) {
	pt = pt.Split(func(_ int, n *normalizer.NormalizedString) []tokenizer.SplitIdx {
		if b.addPrefixSpace && !strings.HasPrefix(n.GetNormalized(), " ") {
			n = n.Prepend(" ")
		}
		if !b.useRegex {
			return []tokenizer.SplitIdx{{Normalized: n}}
		}
		parts := n.Split(gpt2Pattern, normalizer.IsolatedBehavior)
		out := make([]tokenizer.SplitIdx, len(parts))
		for i := range parts {
			out[i] = tokenizer.SplitIdx{Normalized: &parts[i]}
		}
		return out
	})
	return pt.Normalize(func(n *normalizer.NormalizedString) *normalizer.NormalizedString {
		s := n.GetNormalized()
		changes := make([]normalizer.ChangeMap, 0, len(s))
		for i := 0; i < len(s); {
			_, size := utf8.DecodeRuneInString(s[i:]) // an invalid byte is a rune of its own
			for j := 0; j < size; j++ {
				changes = append(changes, normalizer.ChangeMap{RuneVal: pretokenizer.BytesChar[s[i+j]], Changes: min(j, 1)})
			}
			i += size
		}
		return n.Transform(changes, 0)
	}), nil
}

// strictDecode decodes raw into v, naming any field v does not know: a field
// we would silently ignore could change the token counts.
func strictDecode(raw json.RawMessage, v any) error {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("unsupported or malformed field: %w", err)
	}
	return nil
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

func orTrue(b *bool) bool { return b == nil || *b }
