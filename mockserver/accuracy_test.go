package mockserver

import (
	"strings"
	"testing"
)

func TestMultipleChoiceAnswer(t *testing.T) {
	for _, tc := range []struct {
		prompt string
		want   string
	}{
		{"Question: What?\nA. x\nB. y\nAnswer:", "A"},
		{"Question: What?\nA. x\nB. y\nLet's think step by step.\nAnswer:", "A"},
		{"Question: Tom has 2 apples and buys 3. How many?\nAnswer:", "#### 42"},
		{"Solve the following competition math problem.\n\nProblem: Find x.\nLet's think step by step.\nAnswer:", `\boxed{42}`},
		{"The following are ... about Zumba.\n\nA woman dances\nA. a\nB. b\nC. c\nD. d\nAnswer:\n\nOutput 'A', 'B', 'C', or 'D'. Full answer not needed.", "A"},
		{"Answer the following multiple choice question. The last line of your response should be of the following format: 'Answer: $LETTER' (without quotes) where LETTER is one of ABCD.\n\nWhat?\n\nA) x\nB) y", "Answer: A"},
		{"Let $x^2 = 49$ with $x > 0$. Find $x$.", `\boxed{42}`},
		{"Tell me a story", ""},
		{"", ""},
		{"Answer: maybe", ""},
	} {
		got := strings.Join(multipleChoice(strings.Fields(tc.prompt)), " ")
		if got != tc.want {
			t.Errorf("%q: answered %q, want %q", tc.prompt, got, tc.want)
		}
	}
}
