package tokens

import (
	"sort"
	"unicode"
	"unicode/utf8"
)

// addedToken is one entry of a tokenizer.json's added_tokens.
type addedToken struct {
	ID         int    `json:"id"`
	Content    string `json:"content"`
	SingleWord bool   `json:"single_word"`
	LStrip     bool   `json:"lstrip"`
	RStrip     bool   `json:"rstrip"`
	Normalized bool   `json:"normalized"`
	Special    bool   `json:"special"`
}

// addedSet finds added tokens in text as Hugging Face's AddedVocabulary
// does: leftmost-longest, non-overlapping matches, then the single_word,
// lstrip and rstrip rules. Matching happens before the normalizer for tokens
// with normalized false, after it for the others (content normalized too).
type addedSet struct {
	first [256]bool             // first bytes of the contents
	byte0 map[byte][]addedToken // by first byte, longest content first
}

func newAddedSet(toks []addedToken) *addedSet {
	if len(toks) == 0 {
		return nil
	}
	s := &addedSet{byte0: map[byte][]addedToken{}}
	for _, t := range toks {
		if t.Content == "" {
			continue
		}
		b := t.Content[0]
		s.first[b] = true
		s.byte0[b] = append(s.byte0[b], t)
	}
	for _, l := range s.byte0 {
		sort.SliceStable(l, func(i, j int) bool { return len(l[i].Content) > len(l[j].Content) })
	}
	return s
}

// segment is a piece of the text: plain text (id < 0) or an added token.
type segment struct {
	text string
	id   int
}

// split appends text's segments to dst (HF's find_matches).
func (s *addedSet) split(dst []segment, text string) []segment {
	if s == nil {
		return append(dst, segment{text: text, id: -1})
	}
	done := 0 // end of the last segment appended
	for pos := 0; pos < len(text); {
		t, ok := s.match(text, pos)
		if !ok {
			pos++
			continue
		}
		start, stop := pos, pos+len(t.Content)
		pos = stop // the next search starts after this match, taken or not
		if t.SingleWord && (endsWithWord(text[:start]) || startsWithWord(text[stop:])) {
			continue
		}
		if t.LStrip {
			start = max(len(trimRightSpace(text[:start])), done)
		}
		if t.RStrip {
			stop = len(text) - len(trimLeftSpace(text[stop:]))
		}
		if start > done {
			dst = append(dst, segment{text: text[done:start], id: -1})
		}
		dst = append(dst, segment{text: text[start:stop], id: t.ID})
		done = stop
	}
	if done < len(text) {
		dst = append(dst, segment{text: text[done:], id: -1})
	}
	return dst
}

// match returns the longest added token at text[pos:].
func (s *addedSet) match(text string, pos int) (addedToken, bool) {
	if !s.first[text[pos]] {
		return addedToken{}, false
	}
	rest := text[pos:]
	for _, t := range s.byte0[text[pos]] {
		if len(rest) >= len(t.Content) && rest[:len(t.Content)] == t.Content {
			return t, true
		}
	}
	return addedToken{}, false
}

// isWordRune is Rust's char::is_alphanumeric or '_', HF's word character.
func isWordRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r)
}

func endsWithWord(s string) bool {
	r, n := utf8.DecodeLastRuneInString(s)
	return n > 0 && isWordRune(r)
}

func startsWithWord(s string) bool {
	r, n := utf8.DecodeRuneInString(s)
	return n > 0 && isWordRune(r)
}

func trimRightSpace(s string) string {
	for len(s) > 0 {
		r, n := utf8.DecodeLastRuneInString(s)
		if !unicode.IsSpace(r) {
			break
		}
		s = s[:len(s)-n]
	}
	return s
}

func trimLeftSpace(s string) string {
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if !unicode.IsSpace(r) {
			break
		}
		s = s[n:]
	}
	return s
}
