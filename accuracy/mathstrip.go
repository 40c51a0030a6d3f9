package accuracy

import (
	"math/big"
	"regexp"
	"strings"
	"unicode/utf8"
)

// stripString is AIPerf's strip_string (graders/_math_strip.py, itself the
// trt-llm recipe's Hendrycks/ToRA normaliser), step for step, so that an
// answer and its gold compare as AIPerf compares them. Python's \w, \d and
// \s are Unicode-aware: the patterns below spell them out with Unicode
// classes where Go's would be ASCII only.
func stripString(s string) string {
	s = pyStrip(s)
	s = strings.ReplaceAll(s, "\n", "")
	s = strings.TrimRight(s, ".")
	s = strings.ReplaceAll(s, `\!`, "")

	// matrices
	s = arrayBegin.ReplaceAllLiteralString(s, `\begin{pmatrix}`)
	s = strings.ReplaceAll(s, `\end{array}`, `\end{pmatrix}`)
	s = strings.ReplaceAll(s, "bmatrix", "pmatrix")

	// fraction variants and relations
	s = strings.ReplaceAll(s, "tfrac", "frac")
	s = strings.ReplaceAll(s, "dfrac", "frac")
	s = strings.ReplaceAll(s, `\neq`, `\ne`)
	s = strings.ReplaceAll(s, `\leq`, `\le`)
	s = strings.ReplaceAll(s, `\geq`, `\ge`)

	s = strings.ReplaceAll(s, `\left`, "")
	s = strings.ReplaceAll(s, `\right`, "")
	s = strings.ReplaceAll(s, `\{`, "{")
	s = strings.ReplaceAll(s, `\}`, "}")

	// a trailing \text{...}
	if t := strings.TrimSpace(trailingText.ReplaceAllLiteralString(s, "")); t != "" && t != s {
		s = t
	}
	for _, u := range unitPatterns {
		if t := u.ReplaceAllString(s, "${1}${2}"); t != "" {
			s = t
		}
	}

	s = strings.ReplaceAll(s, `^{\circ}`, "")
	s = strings.ReplaceAll(s, `^\circ`, "")
	s = strings.ReplaceAll(s, `\$`, "")
	s = strings.ReplaceAll(s, "$", "")
	s = strings.ReplaceAll(s, `\(`, "")
	s = strings.ReplaceAll(s, `\)`, "")
	// (AIPerf's word-to-number step is a no-op.)
	s = textWrapper.ReplaceAllString(s, "${1}")
	for _, k := range []string{"x=", "y=", "z=", `x\in`, `y\in`, `z\in`, `x\to`, `y\to`, `z\to`} {
		s = strings.ReplaceAll(s, k, "")
	}
	s = strings.ReplaceAll(s, `\emptyset`, "{}")
	s = strings.ReplaceAll(s, `(-\infty,\infty)`, `\mathbb{R}`)
	s = strings.ReplaceAll(s, `\%`, "")
	s = strings.ReplaceAll(s, "%", "")
	s = months.ReplaceAllLiteralString(s, "")
	s = strings.ReplaceAll(s, " .", " 0.")
	s = strings.ReplaceAll(s, "{.", "{0.")
	// (AIPerf's unwrapping of "{x}", "(x)", "[x]" tests isalnum on the
	// whole string, brackets included, so never fires: left out.)
	s = strings.ReplaceAll(s, "infinity", `\infty`)
	if !strings.Contains(s, `\infty`) {
		s = strings.ReplaceAll(s, "inf", `\infty`)
	}
	s = strings.ReplaceAll(s, `+\inity`, `\infty`)
	s = strings.ReplaceAll(s, "and", "")
	s = strings.ReplaceAll(s, `\mathbf`, "")
	s = mbox.ReplaceAllLiteralString(s, "")
	if strings.Contains(s, "j") && !strings.Contains(s, "i") {
		s = strings.ReplaceAll(s, "j", "i")
	}
	s = trailingZeros.ReplaceAllString(s, "${1}${2}")
	s = endZeros.ReplaceAllString(s, "${1}")
	if s == "" {
		return s
	}
	if s[0] == '.' {
		s = "0" + s
	}
	// "k = X" is X
	if parts := strings.Split(s, "="); len(parts) == 2 && utf8.RuneCountInString(parts[0]) <= 2 {
		s = parts[1]
	}
	s = bareSqrt.ReplaceAllString(s, `\sqrt{${1}}`)
	s = strings.ReplaceAll(s, " ", "")
	s = fixFracs(s)
	return fixASlashB(s)
}

// Python's \w, \W and \d for str patterns.
const (
	pyWord    = `[\p{L}\p{N}_]`
	pyNotWord = `[^\p{L}\p{N}_]`
	pyDigit   = `\p{Nd}`
)

var (
	arrayBegin    = regexp.MustCompile(`\\begin\{array\}\{.*?\}`)
	trailingText  = regexp.MustCompile(`\\text\{.*?\}$`)
	textWrapper   = regexp.MustCompile(`\\text\{(.*?)\}`)
	months        = regexp.MustCompile(`(?i)` + pyBoundary + `(January|February|March|April|May|June|July|August|September|October|November|December)` + pyBoundary)
	mbox          = regexp.MustCompile(`\\mbox\{.*?\}`)
	trailingZeros = regexp.MustCompile(`(` + pyDigit + `+)\.0*([^\p{Nd}])`)
	endZeros      = regexp.MustCompile(`(` + pyDigit + `+)\.0*$`)
	bareSqrt      = regexp.MustCompile(`\\sqrt(` + pyWord + `+)`)
	unitPatterns  = compileUnits()
)

// pyBoundary is \b; Go's is ASCII-only, which differs from Python's only
// next to non-ASCII letters, never in a month name's own letters.
const pyBoundary = `\b`

// mathUnits are the recipe's MathQA unit words stripped from answers, in
// its order; each is a regular expression as written there ("q ." matches
// any character after "q ").
var mathUnits = []string{
	"east", "degree", "mph", "kmph", "ft", "m square", " m east", "sq m", "deg", "mile", "q .", "monkey",
	"prime", "ratio", "profit of rs", "rd", "o", "gm", "p . m", "lb", "tile", "per", "dm", "lt", "gain",
	"ab", "way", "west", "a .", "b .", "c .", "d .", "e .", "f .", "g .", "h .", "t", "a", "h",
	"no change", "men", "soldier", "pie", "bc", "excess", "st", "inches", "noon", "percent", "by", "gal",
	"kmh", "c", "acre", "rise", "a . m", "th", "π r 2", "sq", "mark", "l", "toy", "coin", "sq . m",
	"gallon", "° f", "profit", "minw", "yr", "women", "feet", "am", "pm", "hr", "cu cm", "square",
	"v â € ™", "are", "rupee", "rounds", "cubic", "cc", "mtr", "s", "ohm", "number", "kmph", "day",
	"hour", "minute", "min", "second", "man", "woman", "sec", "cube", "mt", "sq inch", "mp", "∏ cm ³",
	"hectare", "more", "sec", "unit", "cu . m", "cm 2", "rs .", "rs", "kg", "g", "month", "km", "m",
	"cm", "mm", "apple", "liter", "loss", "yard", "pure", "year", "increase", "decrease", "d", "less",
	"Surface", "litre", "pi sq m", "s .", "metre", "meter", "inch",
}

// compileUnits is the recipe's unit list and then each plural, as patterns
// standing between non-word characters or the string's ends.
func compileUnits() []*regexp.Regexp {
	all := append(append([]string{}, mathUnits...), plural(mathUnits)...)
	out := make([]*regexp.Regexp, len(all))
	for i, u := range all {
		out[i] = regexp.MustCompile(`(^|` + pyNotWord + `)` + u + `($|` + pyNotWord + `)`)
	}
	return out
}

func plural(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w + "s"
	}
	return out
}

// fixFracs is the recipe's _fix_fracs: \fracab is \frac{a}{b}, \fraca{b}
// is \frac{a}{b}; a \frac with fewer than two characters after it leaves
// the whole string as it was.
func fixFracs(s string) string {
	parts := strings.Split(s, `\frac`)
	out := parts[0]
	for _, p := range parts[1:] {
		out += `\frac`
		r := []rune(p)
		if len(r) > 0 && r[0] == '{' {
			out += p
			continue
		}
		if len(r) < 2 {
			return s
		}
		a, b, rest := string(r[0]), string(r[1]), string(r[2:])
		if b != "{" {
			out += "{" + a + "}{" + b + "}" + rest
		} else {
			out += "{" + a + "}" + b + rest
		}
	}
	return out
}

// fixASlashB is AIPerf's _fix_a_slash_b: "a/b" of two integers (or a
// square root) is \frac{a}{b}, the integers as Python's int() writes them.
func fixASlashB(s string) string {
	parts := strings.Split(s, "/")
	if len(parts) != 2 {
		return s
	}
	a, b := parts[0], parts[1]
	var ok bool
	if !strings.Contains(a, "sqrt") {
		if a, ok = pyInt(a); !ok {
			return s
		}
	}
	if !strings.Contains(b, "sqrt") {
		if b, ok = pyInt(b); !ok {
			return s
		}
	}
	return `\frac{` + a + "}{" + b + "}"
}

// pyInt is str(int(s)) for a decimal string: optional sign, digits with
// single underscores between them, surrounding white space allowed.
func pyInt(s string) (string, bool) {
	s = strings.TrimSpace(s)
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" || digits[0] == '_' || digits[len(digits)-1] == '_' || strings.Contains(digits, "__") {
		return "", false
	}
	n, ok := new(big.Int).SetString(strings.ReplaceAll(digits, "_", ""), 10)
	if !ok {
		return "", false
	}
	if strings.HasPrefix(s, "-") {
		n.Neg(n)
	}
	return n.String(), true
}
