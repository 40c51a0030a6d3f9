package wer

import (
	"strings"
	"unicode"
)

// hesitations are dropped from both texts: a model writing "um" is no error.
var hesitations = map[string]bool{"uh": true, "um": true, "hmm": true, "mm": true, "mhm": true, "ah": true, "er": true, "eh": true}

// Normalize returns the words of s after the package's English normaliser.
func Normalize(s string) []string {
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case unicode.IsDigit(r) && i > 0 && unicode.IsLetter(rs[i-1]):
			b.WriteRune(r) // inside a word ("mp3"): kept as written
		case unicode.IsDigit(r):
			j := i
			num := []rune{}
			for j < len(rs) && (unicode.IsDigit(rs[j]) || isInnerSep(rs, j)) {
				if rs[j] != ',' {
					num = append(num, rs[j])
				}
				j++
			}
			if j < len(rs) && unicode.IsLetter(rs[j]) { // "25th", "7pm": one word, kept
				b.WriteString(string(rs[i:j]))
				i = j - 1
				continue
			}
			b.WriteByte(' ')
			b.WriteString(spellNumber(string(num)))
			b.WriteByte(' ')
			i = j - 1
		case r == '%':
			b.WriteString(" percent ")
		case r == '&':
			b.WriteString(" and ")
		case r == '\'' || r == '’':
			// removed: "don't" → "dont"
		case unicode.IsLetter(r) || unicode.IsMark(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	out := words[:0]
	for _, w := range words {
		if !hesitations[w] {
			out = append(out, w)
		}
	}
	return out
}

// isInnerSep reports whether rs[j] is a ',' or '.' between two digits (a
// thousands separator or a decimal point), part of the number.
func isInnerSep(rs []rune, j int) bool {
	return (rs[j] == ',' || rs[j] == '.') && j > 0 && j+1 < len(rs) && unicode.IsDigit(rs[j-1]) && unicode.IsDigit(rs[j+1])
}

var (
	ones = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
		"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	tens   = []string{"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	scales = []string{"", "thousand", "million", "billion", "trillion"}
)

// spellNumber spells digits (with at most one decimal point, any further
// point read as "point" too) in English words: "1500" → "one thousand five
// hundred", "3.05" → "three point zero five". Numbers too long for the scale
// names, and leading zeros, are read digit by digit.
func spellNumber(num string) string {
	whole, frac, hasFrac := strings.Cut(num, ".")
	var words []string
	if len(whole) > 1 && whole[0] == '0' || len(whole) > 3*len(scales) {
		words = digitByDigit(whole)
	} else {
		words = spellInt(whole)
	}
	if hasFrac {
		words = append(words, "point")
		words = append(words, digitByDigit(strings.ReplaceAll(frac, ".", ""))...)
	}
	return strings.Join(words, " ")
}

func digitByDigit(d string) []string {
	out := make([]string, 0, len(d))
	for _, c := range d {
		out = append(out, ones[c-'0'])
	}
	return out
}

// spellInt spells a decimal integer of at most 15 digits without leading zeros.
func spellInt(d string) []string {
	if strings.Trim(d, "0") == "" {
		return []string{"zero"}
	}
	var groups []int // three-digit groups, lowest first
	for end := len(d); end > 0; end -= 3 {
		g := 0
		for _, c := range d[max(0, end-3):end] {
			g = g*10 + int(c-'0')
		}
		groups = append(groups, g)
	}
	var out []string
	for i := len(groups) - 1; i >= 0; i-- {
		if groups[i] == 0 {
			continue
		}
		out = append(out, spellHundreds(groups[i])...)
		if scales[i] != "" {
			out = append(out, scales[i])
		}
	}
	return out
}

func spellHundreds(n int) []string {
	var out []string
	if n >= 100 {
		out = append(out, ones[n/100], "hundred")
		n %= 100
	}
	switch {
	case n == 0:
	case n < 20:
		out = append(out, ones[n])
	default:
		out = append(out, tens[n/10])
		if n%10 != 0 {
			out = append(out, ones[n%10])
		}
	}
	return out
}
