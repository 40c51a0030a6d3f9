package tokens

import (
	"unicode"
	"unicode/utf8"
)

// The split patterns almost every byte-level BPE file carries, which a scanner
// matches ten times faster than regexp2 (and without allocating). Any other
// pattern runs in regexp2. Both agree on all text (FuzzSplit).
const (
	qwen2Split  = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	llama3Split = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
)

// scanner matches one of the known patterns: each match starts where the
// last ended, and every character is matched (there are no gaps).
type scanner struct {
	gpt2      bool // GPT-2's pattern; else the Qwen2/Llama 3 one
	maxDigits int  // digits per match, 0: any number
}

// knownScanners maps a pattern to its scanner.
var knownScanners = map[string]*scanner{
	gpt2Split:   {gpt2: true},
	qwen2Split:  {maxDigits: 1},
	llama3Split: {maxDigits: 3},
}

// next returns the end of the match that starts at i < len(s).
func (sc *scanner) next(s string, i int) int {
	r, n := utf8.DecodeRuneInString(s[i:])
	if r == '\'' {
		if end := contraction(s, i+1, !sc.gpt2); end > 0 {
			return end
		}
	}
	r2 := rune(-1) // the character after r
	if i+n < len(s) {
		r2, _ = utf8.DecodeRuneInString(s[i+n:])
	}
	if sc.gpt2 {
		// ' ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+'
		start := i
		if r == ' ' && r2 >= 0 && !unicode.IsSpace(r2) {
			start, r = i+n, r2
		}
		switch {
		case unicode.IsLetter(r):
			return runOf(s, start, unicode.IsLetter, 0)
		case unicode.IsNumber(r):
			return runOf(s, start, unicode.IsNumber, 0)
		case !unicode.IsSpace(r):
			return runOf(s, start, isOther, 0)
		}
		return spaceRun(s, i, false)
	}
	// [^\r\n\p{L}\p{N}]?\p{L}+
	if unicode.IsLetter(r) {
		return runOf(s, i, unicode.IsLetter, 0)
	}
	if !isNewline(r) && !unicode.IsNumber(r) && r2 >= 0 && unicode.IsLetter(r2) {
		return runOf(s, i+n, unicode.IsLetter, 0)
	}
	// \p{N}{1,max}
	if unicode.IsNumber(r) {
		return runOf(s, i, unicode.IsNumber, sc.maxDigits)
	}
	//  ?[^\s\p{L}\p{N}]+[\r\n]*
	start := i
	if r == ' ' && r2 >= 0 && isOther(r2) {
		start, r = i+n, r2
	}
	if isOther(r) {
		return runOf(s, runOf(s, start, isOther, 0), isNewline, 0)
	}
	return spaceRun(s, i, true)
}

// spaceRun matches at a white-space character: with newlines, `\s*[\r\n]+`
// (up to the run's last line break, if any); then `\s+(?!\S)` (the run
// but its last character when a non-space follows) or `\s+`.
func spaceRun(s string, i int, newlines bool) int {
	end, lastNL, last := i, -1, i
	for end < len(s) {
		r, n := utf8.DecodeRuneInString(s[end:])
		if !unicode.IsSpace(r) {
			break
		}
		if isNewline(r) {
			lastNL = end + n
		}
		last = end
		end += n
	}
	switch {
	case newlines && lastNL > 0:
		return lastNL
	case end == len(s) || last == i:
		return end
	}
	return last
}

// contraction matches 's 't 're 've 'm 'll 'd at s[i:] (after the quote),
// case-insensitively (as regexp2 folds: unicode.ToLower) when fold is set;
// it returns the end, or 0.
func contraction(s string, i int, fold bool) int {
	c, n := foldedRune(s, i, fold)
	switch c {
	case 's', 't', 'm', 'd':
		return i + n
	case 'r', 'v', 'l':
		want := 'e'
		if c == 'l' {
			want = 'l'
		}
		if c2, n2 := foldedRune(s, i+n, fold); c2 == want {
			return i + n + n2
		}
	}
	return 0
}

func foldedRune(s string, i int, fold bool) (rune, int) {
	if i >= len(s) {
		return -1, 0
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if fold {
		r = unicode.ToLower(r)
	}
	return r, n
}

// runOf returns the end of the run of characters in class from i (at most
// max characters when max > 0).
func runOf(s string, i int, class func(rune) bool, max int) int {
	for k := 0; i < len(s) && (max == 0 || k < max); k++ {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !class(r) {
			break
		}
		i += n
	}
	return i
}

func isNewline(r rune) bool { return r == '\r' || r == '\n' }

// isOther is [^\s\p{L}\p{N}].
func isOther(r rune) bool { return !unicode.IsSpace(r) && !unicode.IsLetter(r) && !unicode.IsNumber(r) }
