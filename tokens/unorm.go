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
		var steps []normalizer.Normalizer
		for i, r := range head.Normalizers {
			n, err := buildNormalizer(r, fmt.Sprintf("%s.normalizers[%d]", where, i))
			if err != nil {
				return nil, err
			}
			if n != nil {
				steps = append(steps, n)
			}
		}
		return normalizer.NewSequence(steps), nil
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
