package accuracy

import (
	"fmt"
	"hash/fnv"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// mathGrade is AIPerf's math grader (graders/math.py, the trt-llm recipe's
// math_equal): the answer is the last \boxed{...}, else the tail of the
// last "the answer is ..." phrase, else the last number (both fallbacks
// flagged unparsed); answer and gold are normalised by stripString and
// compared by mathEqual.
func mathGrade(response, gold string) Grade {
	pred, unparsed := extractMath(response)
	if len(pred) > maxMathAnswer { // no answer found: the whole reply, whose ~300 regex passes would hold the sender for seconds
		return Grade{Unparsed: true, Extracted: pred[:maxMathAnswer], Gold: strings.TrimSpace(gold),
			Explanation: fmt.Sprintf("extracted %d bytes, more than the %d compared: match=False", len(pred), maxMathAnswer)}
	}
	predStripped, goldStripped := stripString(pred), stripString(gold)
	ok := mathEqual(predStripped, goldStripped, 0)
	how := ""
	if unparsed {
		how = " (regex fallback)"
	}
	return Grade{Correct: ok, Unparsed: unparsed, Extracted: pred, Gold: strings.TrimSpace(gold),
		Explanation: fmt.Sprintf("extracted '%s' (stripped '%s'); ground_truth '%s' (stripped '%s'); compared via math_equal; match=%s%s",
			pred, predStripped, gold, goldStripped, pyBool(ok), how)}
}

// maxMathAnswer bounds an extracted answer that is compared: a longer one is
// a whole reply with no answer in it (grading runs where the request was
// sent, and stripString's passes over 100 KB take seconds).
const maxMathAnswer = 4 << 10

// extractMath is MathGrader._extract_with_flag: the answer and whether it
// needed a fallback past \boxed{}.
func extractMath(response string) (string, bool) {
	if response == "" {
		return "", true
	}
	if b, ok := lastBoxed(response); ok {
		return boxedTail(b), false
	}
	if tail, ok := lastAnswerPhrase(response); ok {
		tail = pyStrip(tail)
		if b, ok := lastBoxed(tail); ok {
			return boxedTail(b), true
		}
		if strings.ContainsAny(tail, `\{}`) { // LaTeX: keep it whole
			return tail, true
		}
		if n := lastNumber(tail); n != "" {
			return n, true
		}
		return tail, true
	}
	if n := lastNumber(response); n != "" {
		return n, true
	}
	return pyStrip(response), true
}

const boxedToken = `\boxed{`

// lastBoxed is the content of the last \boxed{...}, braces balanced;
// false when there is none or it is not closed.
func lastBoxed(s string) (string, bool) {
	i := strings.LastIndex(s, boxedToken)
	if i < 0 {
		return "", false
	}
	start, depth := i+len(boxedToken), 0
	for j := start; j < len(s); j++ {
		switch s[j] {
		case '{':
			depth++
		case '}':
			if depth == 0 {
				return s[start:j], true
			}
			depth--
		}
	}
	return "", false
}

var newlineRun = regexp.MustCompile(`\n[` + pySpace + `]*`)

// boxedTail is the recipe's format_response clean-up of a boxed answer:
// newlines (and the spaces after them) dropped, a leading ":" and a
// trailing "." then "/" cut.
func boxedTail(s string) string {
	s = newlineRun.ReplaceAllLiteralString(s, "")
	s = strings.TrimPrefix(s, ":")
	s = strings.TrimSuffix(s, ".")
	return strings.TrimSuffix(s, "/")
}

// pySpace is Python's \s for str patterns, inside a class.
const pySpace = `\t\n\v\f\r \x1c-\x1f\x{85}\p{Z}`

func isPySpace(r rune) bool {
	return strings.ContainsRune("\t\n\v\f\r \x1c\x1d\x1e\x1f\u0085", r) || unicode.In(r, unicode.Z)
}

// pyStrip is Python's str.strip().
func pyStrip(s string) string { return strings.TrimFunc(s, isPySpace) }

var mathNumber = regexp.MustCompile(`-?` + pyDigit + `+(?:\.` + pyDigit + `+)?(?:/` + pyDigit + `+)?`)

// lastNumber is the last integer, decimal or a/b in s, or "".
func lastNumber(s string) string {
	m := mathNumber.FindAllString(s, -1)
	if len(m) == 0 {
		return ""
	}
	return m[len(m)-1]
}

// answerKeywords are the alternatives opening AIPerf's _ANSWER_PHRASE_RE,
// in its order (case-insensitive); each is tried where one matches.
var (
	answerKeywordAny = regexp.MustCompile(`(?i)final[` + pySpace + `]+answer|the[` + pySpace + `]+answer[` + pySpace + `]+is|answer[` + pySpace + `]*[:=]|answer[` + pySpace + `]+is`)
	answerKeywords   = []*regexp.Regexp{
		regexp.MustCompile(`^(?i)final[` + pySpace + `]+answer`),
		regexp.MustCompile(`^(?i)the[` + pySpace + `]+answer[` + pySpace + `]+is`),
		regexp.MustCompile(`^(?i)answer[` + pySpace + `]*[:=]`),
		regexp.MustCompile(`^(?i)answer[` + pySpace + `]+is`),
	}
)

// lastAnswerPhrase is the captured tail of the last match of AIPerf's
// answer-phrase pattern
//
//	(?:final\s+answer|the\s+answer\s+is|answer\s*[:=]|answer\s+is)\s*[:=]?\s*(.+?)(?:(?<!\d)\.(?!\d)|\n|$)
//
// scanned as Python's findall does (matches do not overlap). Go's regexp
// has no look-around, so the tail and its end are found by hand.
func lastAnswerPhrase(s string) (string, bool) {
	last, found := "", false
	for pos := 0; pos < len(s); {
		loc := answerKeywordAny.FindStringIndex(s[pos:])
		if loc == nil {
			break
		}
		at := pos + loc[0]
		tail, end, ok := answerPhraseAt(s, at)
		if !ok {
			pos = at + 1
			continue
		}
		last, found = tail, true
		pos = max(end, at+1)
	}
	return last, found
}

// answerPhraseAt matches the pattern at byte at: the tail and where the
// match ends, trying the keywords in order as Python's backtracking does.
func answerPhraseAt(s string, at int) (string, int, bool) {
	for _, kw := range answerKeywords {
		loc := kw.FindStringIndex(s[at:])
		if loc == nil {
			continue
		}
		k := at + loc[1]
		// \s*[:=]?\s* taken greedily; the tail starts after it, or, when
		// nothing follows, at the last character of it that is not a
		// newline (what backtracking would give back).
		g := skipSpace(s, k)
		if g < len(s) && (s[g] == ':' || s[g] == '=') {
			g = skipSpace(s, g+1)
		}
		start := g
		if start == len(s) {
			start = -1
			for i, r := range s[k:g] {
				if r != '\n' {
					start = k + i
				}
			}
			if start < 0 {
				continue
			}
		}
		end, next := tailEnd(s, start)
		return s[start:end], next, true
	}
	return "", 0, false
}

func skipSpace(s string, i int) int {
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isPySpace(r) {
			break
		}
		i += n
	}
	return i
}

// tailEnd is where the lazy tail starting at start (at least one
// character) stops: before a "." not between digits, a newline, or the
// end; next is past the terminator.
func tailEnd(s string, start int) (end, next int) {
	_, n := utf8.DecodeRuneInString(s[start:])
	for i := start + n; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			return i, i + 1
		case r == '.':
			before, _ := utf8.DecodeLastRuneInString(s[:i])
			after, _ := utf8.DecodeRuneInString(s[i+1:])
			if !unicode.IsDigit(before) && (i+1 == len(s) || !unicode.IsDigit(after)) {
				return i, i + 1
			}
		}
		i += w
	}
	return len(s), len(s)
}

// mathMaxDepth bounds math_equal's recursion, as the recipe's.
const mathMaxDepth = 5

// mathEqual is the recipe's math_equal on stripped strings, in its order:
// equal ignoring case; a lone A-E choice; a choice prefix taken off; equal
// comma lists; numbers (percent variants allowed; final when both sides
// are numbers); brackets ignored; "x = v" against v; and last the
// symbolic step, here the numeric one only (mathValue).
func mathEqual(pred, ref string, depth int) bool {
	if depth > mathMaxDepth {
		return false
	}
	if strings.ToLower(pyStrip(pred)) == strings.ToLower(pyStrip(ref)) {
		return true
	}
	if singleChoice(pred, ref) || choicePrefix(pred, ref, depth) || commaList(pred, ref, depth) {
		return true
	}
	if p, ok := parseDigits(pred); ok {
		if r, ok := parseDigits(ref); ok {
			return isClose(p, r/100) || isClose(p, r) || isClose(p, r*100)
		}
	}
	if pred == "" {
		return false
	}
	return bracketsEqual(pred, ref) || equationEqual(pred, ref, depth) || valuesEqual(pred, ref)
}

var choiceLetterWord = regexp.MustCompile(pyBoundary + `[ABCDE]` + pyBoundary)

// singleChoice: a gold of one letter A-E matches the last lone A-E letter
// of the cleaned-up answer.
func singleChoice(pred, ref string) bool {
	if len(ref) != 1 || !strings.Contains("ABCDE", ref) {
		return false
	}
	c := strings.Trim(pred, "\n")
	c = strings.TrimRight(c, ".")
	c = strings.TrimRight(c, "/")
	c = strings.Trim(c, " ")
	c = strings.TrimLeft(c, ":")
	m := choiceLetterWord.FindAllString(strings.ToUpper(c), -1)
	return len(m) > 0 && m[len(m)-1] == ref
}

// choicePrefixes are the recipe's single-choice openings ("(A)", "A.",
// ...), taken off before comparing again.
var choicePrefixes = func() []string {
	var out []string
	for _, form := range []string{"(%s)", "%s.", "%s)", "**%s**", "%s:"} {
		for _, l := range "ABCDE" {
			out = append(out, fmt.Sprintf(form, string(l)))
		}
	}
	return out
}()

func choicePrefix(pred, ref string, depth int) bool {
	for _, p := range choicePrefixes {
		if rest, ok := strings.CutPrefix(pred, p); ok && mathEqual(pyStrip(rest), ref, depth+1) {
			return true
		}
	}
	return false
}

// commaList: two comma-separated lists equal element by element once sorted.
func commaList(pred, ref string, depth int) bool {
	if !strings.Contains(pred, ",") || !strings.Contains(ref, ",") {
		return false
	}
	p, r := sortedParts(pred), sortedParts(ref)
	if len(p) != len(r) {
		return false
	}
	for i := range p {
		if !mathEqual(p[i], r[i], depth+1) {
			return false
		}
	}
	return true
}

func sortedParts(s string) []string {
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = pyStrip(parts[i])
	}
	sort.Strings(parts) // byte order of UTF-8 is code point order, as Python's
	return parts
}

// parseDigits is the recipe's parse_digits: commas dropped, a float as
// Python reads one, else a percentage ("12%", "12\%") over 100.
func parseDigits(s string) (float64, bool) {
	s = strings.ReplaceAll(s, ",", "")
	if v, ok := parsePyFloat(s); ok {
		return v, true
	}
	if inner, ok := strings.CutSuffix(s, "%"); ok {
		if v, ok := parsePyFloat(strings.TrimSuffix(inner, `\`)); ok {
			return v / 100, true
		}
	}
	return 0, false
}

// parsePyFloat is Python's float(str): surrounding white space allowed, no hex.
func parsePyFloat(s string) (float64, bool) {
	s = pyStrip(s)
	if strings.ContainsAny(s, "xXpP") { // Go would read hex floats
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	return v, true
}

// isClose is Python's math.isclose(a, b, abs_tol=1e-4).
func isClose(a, b float64) bool {
	if a == b {
		return true
	}
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return false
	}
	return math.Abs(a-b) <= max(1e-9*max(math.Abs(a), math.Abs(b)), 1e-4)
}

// bracketsEqual is the recipe's bracket-stripped comparison.
func bracketsEqual(pred, ref string) bool {
	p, r := pyStrip(pred), pyStrip(ref)
	if strings.HasPrefix(p, "[") && strings.HasSuffix(p, "]") && !strings.HasPrefix(r, "(") ||
		strings.HasPrefix(p, "(") && strings.HasSuffix(p, ")") && !strings.HasPrefix(r, "[") {
		p, r = strings.Trim(p, "[]()"), strings.Trim(r, "[]()")
	}
	for _, c := range []string{"{", "}", "(", ")"} {
		p, r = strings.ReplaceAll(p, c, ""), strings.ReplaceAll(r, c, "")
	}
	return strings.ToLower(p) == strings.ToLower(r)
}

// equationEqual is the recipe's equation rewrites: two equations compare
// as lhs - (rhs), symbolically; "x = v" (a short left side) against a
// plain value compares v.
func equationEqual(pred, ref string, depth int) bool {
	pn, rn := strings.Count(pred, "="), strings.Count(ref, "=")
	switch {
	case pn == 1 && rn == 1:
		pl, pr, _ := strings.Cut(pred, "=")
		rl, rr, _ := strings.Cut(ref, "=")
		return valuesEqual(pyStrip(pl)+" - ("+pyStrip(pr)+")", pyStrip(rl)+" - ("+pyStrip(rr)+")")
	case pn == 1 && rn == 0:
		l, r, _ := strings.Cut(pred, "=")
		return utf8.RuneCountInString(pyStrip(l)) <= 2 && mathEqual(r, ref, depth+1)
	case rn == 1 && pn == 0:
		l, r, _ := strings.Cut(ref, "=")
		return utf8.RuneCountInString(pyStrip(l)) <= 2 && mathEqual(pred, r, depth+1)
	}
	return false
}

// valuesEqual stands in for the recipe's sympy step: both sides evaluate
// (mathValue) to values within 1e-4, at three points for their variables
// (sympy would find x+1 and 1+x equal by simplifying their difference).
func valuesEqual(pred, ref string) bool {
	for _, point := range []float64{0.5317, 1.2913, 2.7183} {
		at := func(name string) float64 { // each name its own value
			h := fnv.New32a()
			h.Write([]byte(name))
			return point + float64(h.Sum32())/(1<<32)
		}
		p, pv, ok1 := mathValue(pred, at)
		r, rv, ok2 := mathValue(ref, at)
		if !ok1 || !ok2 || math.IsNaN(p) || math.IsNaN(r) || !isClose(p, r) {
			return false
		}
		if !pv && !rv {
			return true // constants: one evaluation is all
		}
	}
	return true
}
