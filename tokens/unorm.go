package tokens

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/sugarme/tokenizer/normalizer"
	"github.com/sugarme/tokenizer/pretrained"
	"golang.org/x/text/unicode/norm"
)

// buildNormalizer builds the normalizer section. The Unicode forms (NFC, NFD,
// NFKC, NFKD) are ours because sugarme's NFC decomposes instead of composing
// (Qwen2 files normalize with NFC); Sequence recurses; other types are
// sugarme's.
func buildNormalizer(raw json.RawMessage, where string) (normalizer.Normalizer, error) {
	if isNull(raw) {
		return nil, nil
	}
	var head struct {
		Type        string            `json:"type"`
		Normalizers []json.RawMessage `json:"normalizers"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	forms := map[string]norm.Form{"NFC": norm.NFC, "NFD": norm.NFD, "NFKC": norm.NFKC, "NFKD": norm.NFKD}
	if f, ok := forms[head.Type]; ok {
		return unicodeForm{f}, nil
	}
	if head.Type == "Sequence" {
		var steps normSequence
		for i, r := range head.Normalizers {
			n, err := buildNormalizer(r, fmt.Sprintf("%s.normalizers[%d]", where, i))
			if err != nil {
				return nil, err
			}
			if n != nil {
				steps = append(steps, n)
			}
		}
		return steps, nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	n, err := pretrained.CreateNormalizer(m)
	if err != nil {
		return nil, fmt.Errorf("%s: unsupported normalizer type %q", where, head.Type)
	}
	return n, nil
}

// unicodeForm normalizes to a Unicode normal form, segment by segment, with
// the alignment changes sugarme's NormalizedString.Transform wants: each
// output rune replaces an input rune (0), is new (1), or the last one also
// swallows the input runes left over (-n).
type unicodeForm struct{ form norm.Form }

// Normalize implements normalizer.Normalizer.
func (u unicodeForm) Normalize(n *normalizer.NormalizedString) (*normalizer.NormalizedString, error) {
	s := n.GetNormalized()
	if u.form.IsNormalString(s) {
		return n, nil
	}
	var (
		it      norm.Iter
		changes []normalizer.ChangeMap
	)
	it.InitString(u.form, s)
	prev := 0
	for !it.Done() {
		out := string(it.Next())
		in := utf8.RuneCountInString(s[prev:it.Pos()])
		prev = it.Pos()
		k := 0
		for _, r := range out {
			c := 0
			if k >= in {
				c = 1
			}
			changes = append(changes, normalizer.ChangeMap{RuneVal: string(r), Changes: c})
			k++
		}
		if k < in && len(changes) > 0 {
			changes[len(changes)-1].Changes = -(in - k)
		}
	}
	return n.Transform(changes, 0), nil
}

func (u unicodeForm) normalizeString(s string) (string, error) {
	if u.form.IsNormalString(s) {
		return s, nil
	}
	return u.form.String(s), nil
}

// normSequence runs normalizers in order (HF's Sequence).
type normSequence []normalizer.Normalizer

// Normalize implements normalizer.Normalizer.
func (s normSequence) Normalize(n *normalizer.NormalizedString) (*normalizer.NormalizedString, error) {
	var err error
	for _, step := range s {
		if n, err = step.Normalize(n); err != nil {
			return nil, err
		}
	}
	return n, nil
}

func (s normSequence) normalizeString(text string) (string, error) {
	var err error
	for _, step := range s {
		if text, err = asStringNormalizer(step).normalizeString(text); err != nil {
			return "", err
		}
	}
	return text, nil
}

// asStringNormalizer gives a normalizer's plain-string path: its own, or
// sugarme's NormalizedString for types only sugarme has.
func asStringNormalizer(n normalizer.Normalizer) stringNormalizer {
	if s, ok := n.(stringNormalizer); ok {
		return s
	}
	return sugarNormalizer{n}
}

type sugarNormalizer struct{ normalizer.Normalizer }

func (s sugarNormalizer) normalizeString(text string) (string, error) {
	n, err := s.Normalize(normalizer.NewNormalizedFrom(text))
	if err != nil {
		return "", err
	}
	return n.GetNormalized(), nil
}
