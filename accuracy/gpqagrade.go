package accuracy

import (
	"fmt"
	"regexp"
	"strings"
)

// lightevalGPQA is AIPerf's lighteval_gpqa grader: lighteval's extractive
// match with letter indices (IndicesExtractionConfig, NativeLetters, four
// choices, English) on the answer and on the gold letter, equal letters
// scoring 1. The answer's letter is that of the first pattern, by
// lighteval's priority, with any match; of its matches, the one ending
// last (on a tie, starting first). AIPerf counts no grade as unparsed but
// one that raised, which this one never does.
func lightevalGPQA(response, gold string) Grade {
	pred := extractIndex(response)
	g := extractIndex(strings.ToUpper(strings.TrimSpace(gold)))
	ok := pred != "" && pred == g
	score := "0.0"
	if ok {
		score = "1.0"
	}
	return Grade{Correct: ok, Extracted: strings.TrimSpace(response), Gold: strings.TrimSpace(gold),
		Explanation: fmt.Sprintf("lighteval LightevalGPQAGrader: score=%s (threshold 0.5)", score)}
}

// indexPatterns are lighteval's lazy_indices_regex for English and the
// letters A-D, by priority: "final answer is X ... I hope", "final answer
// ... is X", "Answer: ... X", "Answer ... X", X opening the text, X
// standing alone, and a bare X. Python's "$" also matches before a last
// newline, which "\n?$" stands in for; its \s is Unicode's.
var indexPatterns = func() []*regexp.Regexp {
	const (
		ind    = `(?P<indices>A|B|C|D)`
		suffix = `(?:\*\*)?(?:[.]|[,]|[:]|\x20|\n?$)`
		alone  = `(?:^|\x20)(?:\*\*)?` + ind + suffix
		space  = `[` + pySpace + `]`
	)
	out := []*regexp.Regexp{
		regexp.MustCompile(`(?i:final answer is):?` + space + `*` + ind + `\.?` + space + `?I hope`),
		regexp.MustCompile(`(?i:final answer.{0,100}?)` + space + `+is:?` + space + `*` + ind),
		regexp.MustCompile(`(?i:Answer)[:].{0,50}?` + alone),
		regexp.MustCompile(`(?i:Answer).{0,50}?` + alone),
		regexp.MustCompile(`^(?:\*\*)?` + ind + suffix),
		regexp.MustCompile(alone),
		regexp.MustCompile(ind),
	}
	return out
}()

// extractIndex is lighteval's extract_target_from_pred for letter indices:
// the letter, or "" when no pattern matches.
func extractIndex(text string) string {
	for _, re := range indexPatterns {
		best := []int(nil)
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			if best == nil || m[1] > best[1] || m[1] == best[1] && m[0] < best[0] {
				best = m
			}
		}
		if best != nil {
			i := 2 * re.SubexpIndex("indices")
			return text[best[i]:best[i+1]]
		}
	}
	return ""
}
