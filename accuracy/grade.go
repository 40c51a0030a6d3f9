package accuracy

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/aiperf-exporter/aiperf-exporter/internal/oneline"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Grade is one graded answer, as AIPerf's GradingResult.
type Grade struct {
	Correct     bool
	Unparsed    bool // the answer needed a fallback past the expected format
	Extracted   string
	Gold        string
	Explanation string
}

// grader extracts an answer from a response and compares it with the gold.
type grader func(response, gold string) Grade

// graders are the --accuracy-grader values implemented here.
var graders = map[string]grader{
	"multiple_choice": multipleChoice,
	"exact_match":     exactMatch,
	"mmlu_pro":        mmluPro,
	"lighteval_gsm8k": lightevalGSM8K,
	"math":            mathGrade,
	"lighteval_gpqa":  lightevalGPQA,
}

// GradeAnswer grades response with the named grader (one of Config.Grader).
func GradeAnswer(name, response, gold string) Grade {
	return graders[name](response, gold)
}

// multipleChoice is AIPerf's MultipleChoiceGrader (lighteval's ExactMatches
// with strip): a bare A-D first line wins; else "answer is (X)" anywhere;
// else "Answer: X"; else a lone letter on the first line; else the last lone
// letter. Anything past the first two is flagged unparsed.
func multipleChoice(response, gold string) Grade {
	pred, unparsed := extractMultipleChoice(response)
	gold = strings.TrimSpace(gold)
	ok := pred == gold && pred != ""
	how := ""
	if unparsed {
		how = " (regex fallback)"
	}
	return Grade{Correct: ok, Unparsed: unparsed, Extracted: pred, Gold: gold,
		Explanation: fmt.Sprintf("first-line-of-response extracted to '%s'%s; ground_truth stripped to '%s'; match=%s", pred, how, gold, pyBool(ok))}
}

func extractMultipleChoice(response string) (string, bool) {
	first, _, _ := strings.Cut(response, "\n")
	first = strings.TrimSpace(first)
	if len(first) == 1 && strings.Contains("ABCD", first) {
		return first, false
	}
	letter, tier := extractChoiceLetter(response, "ABCD")
	switch {
	case tier == 1:
		return letter, false
	case tier == 2:
		return letter, true
	}
	if l := firstLoneLetter(first, "ABCD"); l != "" {
		return l, true
	}
	if letter != "" {
		return letter, true
	}
	return first, true
}

// mmluPro is AIPerf's mmlu_pro grader: the three-tier cascade over A-J, a
// clean parse only from "answer is (X)".
func mmluPro(response, gold string) Grade {
	pred, tier := extractChoiceLetter(response, "ABCDEFGHIJ")
	gold = strings.TrimSpace(gold)
	ok := pred == gold && pred != ""
	return Grade{Correct: ok, Unparsed: tier != 1, Extracted: pred, Gold: gold,
		Explanation: fmt.Sprintf("extracted '%s' (tier %d); ground_truth '%s'; match=%s", pred, tier, gold, pyBool(ok))}
}

// exactMatch is AIPerf's exact_match grader: stripped strings equal, case
// and all; an empty answer is unparsed.
func exactMatch(response, gold string) Grade {
	pred, gold := strings.TrimSpace(response), strings.TrimSpace(gold)
	ok := pred == gold
	return Grade{Correct: ok, Unparsed: pred == "", Extracted: pred, Gold: gold,
		Explanation: fmt.Sprintf("exact match of '%s' and '%s': %s", pred, gold, pyBool(ok))}
}

var (
	answerIs    = map[string]*regexp.Regexp{}
	answerColon = map[string]*regexp.Regexp{}
)

func init() {
	for _, l := range []string{"ABCD", "ABCDEFGHIJ"} {
		answerIs[l] = regexp.MustCompile(`answer is \(?([` + l + `])\)?`)
		answerColon[l] = regexp.MustCompile(`[aA]nswer:\s*([` + l + `])`)
	}
}

// extractChoiceLetter is AIPerf's shared cascade (from TIGER-Lab's MMLU-Pro):
// tier 1 the last "answer is (X)", tier 2 the last "Answer: X", tier 3 the
// last lone letter of the range; 0 and "" when none.
func extractChoiceLetter(text, letters string) (string, int) {
	if m := answerIs[letters].FindAllStringSubmatch(text, -1); len(m) > 0 {
		return m[len(m)-1][1], 1
	}
	if m := answerColon[letters].FindAllStringSubmatch(text, -1); len(m) > 0 {
		return m[len(m)-1][1], 2
	}
	if l := lastLoneLetter(text, letters); l != "" {
		return l, 3
	}
	return "", 0
}

// isWord is Python's \w: a letter, digit or underscore.
func isWord(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// loneAt reports whether the letter at byte i (one of letters) stands alone:
// no word character on either side.
func loneAt(s string, i int, letters string) bool {
	if !strings.ContainsRune(letters, rune(s[i])) {
		return false
	}
	if i > 0 {
		if r, _ := utf8.DecodeLastRuneInString(s[:i]); isWord(r) {
			return false
		}
	}
	if i+1 < len(s) {
		if r, _ := utf8.DecodeRuneInString(s[i+1:]); isWord(r) {
			return false
		}
	}
	return true
}

func firstLoneLetter(s, letters string) string {
	for i := 0; i < len(s); i++ {
		if loneAt(s, i, letters) {
			return s[i : i+1]
		}
	}
	return ""
}

func lastLoneLetter(s, letters string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if loneAt(s, i, letters) {
			return s[i : i+1]
		}
	}
	return ""
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// MaxKeptText bounds each text a graded record keeps for
// accuracy_export.jsonl (the answer, the reasoning): the grade itself is
// made on the whole answer, within the probe's response budget.
const MaxKeptText = 64 << 10

// GradeRecord grades a finished request's answer against its problem: nil
// for a turn without one, or a request that failed.
func GradeRecord(p *Problem, answer, reasoning []byte, ok bool) *record.Graded {
	if p == nil || !ok {
		return nil
	}
	g := GradeAnswer(p.Grader, string(answer), p.Gold)
	out := &record.Graded{Task: p.Task, Grader: p.Grader, Passed: g.Correct, Unparsed: g.Unparsed,
		Expected: g.Gold, Actual: bounded(g.Extracted), Explanation: bounded(g.Explanation), ModelOutput: bounded(string(answer))}
	if len(reasoning) > 0 {
		t := bounded(string(reasoning))
		out.ModelThinking = &t
	}
	return out
}

// bounded cuts s at MaxKeptText bytes, on a character boundary.
func bounded(s string) string { return oneline.Cut(s, MaxKeptText) }
