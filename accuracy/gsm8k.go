package accuracy

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// GSM8K follows AIPerf's benchmarks/gsm8k.py (lighteval's gsm8k_leaderboard
// task): openai/gsm8k's main test split, zero-shot, one user message
// "Question: ...\nAnswer:", 256 max tokens, the raw worked answer as gold.
const (
	gsm8kRepo      = "openai/gsm8k"
	gsm8kTask      = "gsm8k"
	gsm8kMaxTokens = 256
)

func gsm8kProblem(question, answer, system string) Problem {
	msgs := systemMessage(system)
	msgs = append(msgs, Message{Role: "user", Content: "Question: " + question + "\nAnswer:"})
	return Problem{Task: gsm8kTask, Gold: answer, Messages: msgs, MaxTokens: gsm8kMaxTokens}
}

var (
	gsm8kMarker = regexp.MustCompile(`#### (\-?[0-9\.\,]+)`)
	gsm8kNumber = regexp.MustCompile(`-?[0-9][0-9,]*(?:\.[0-9]+)?`)
)

const gsm8kInvalid = "[invalid]"

// gsm8kNormalize is lighteval's gsm8k_normalizer: the number after "####",
// without commas.
func gsm8kNormalize(s string) string {
	if m := gsm8kMarker.FindStringSubmatch(s); m != nil {
		return strings.ReplaceAll(strings.TrimSpace(m[1]), ",", "")
	}
	return gsm8kInvalid
}

// lightevalGSM8K is AIPerf's lighteval_gsm8k grader: the gold's number after
// "####"; the answer's too, else its last number (flagged unparsed);
// compared as numbers within 1e-6, else as strings.
func lightevalGSM8K(response, gold string) Grade {
	gold = gsm8kNormalize(strings.TrimSpace(gold))
	response = strings.TrimSpace(response)
	pred, fallback := gsm8kNormalize(response), false
	if pred == gsm8kInvalid {
		fallback = true
		if m := gsm8kNumber.FindAllString(response, -1); len(m) > 0 {
			pred = strings.ReplaceAll(m[len(m)-1], ",", "")
		}
	}
	parseable := pred != gsm8kInvalid
	ok := parseable && gold != gsm8kInvalid && numbersMatch(gold, pred)
	note := ""
	switch {
	case !parseable:
		note = " (no number in response)"
	case fallback:
		note = " (no #### marker; used last-number fallback)"
	}
	return Grade{Correct: ok, Unparsed: fallback || !parseable, Extracted: pred, Gold: gold,
		Explanation: fmt.Sprintf("gsm8k quasi-exact-match: gold '%s' vs pred '%s'; match=%s%s", gold, pred, pyBool(ok), note)}
}

func numbersMatch(gold, pred string) bool {
	g, err1 := strconv.ParseFloat(gold, 64)
	p, err2 := strconv.ParseFloat(pred, 64)
	if err1 != nil || err2 != nil {
		return gold == pred
	}
	return math.Abs(g-p) <= 1e-6
}
