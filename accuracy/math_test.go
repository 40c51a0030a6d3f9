package accuracy

import (
	"strings"
	"testing"
)

// TestStripString holds stripString to AIPerf's strip_string
// (graders/_math_strip.py): each want was printed by running it in CPython.
func TestStripString(t *testing.T) {
	checkEach(t, "stripString", stripString, map[string]string{
		"  42. ":                              "42",
		`\dfrac{1}{2}`:                        `\frac{1}{2}`,
		`\frac12`:                             `\frac{1}{2}`,
		`\frac1{2}`:                           `\frac{1}{2}`,
		"1/2":                                 `\frac{1}{2}`,
		"-3/4":                                `\frac{-3}{4}`,
		"007/3":                               `\frac{7}{3}`,
		"1_0/2":                               `\frac{10}{2}`,
		`\sqrt2`:                              `\sqrt{2}`,
		`\sqrt{2}/2`:                          `\frac{\sqrt{2}}{2}`,
		"5 mph":                               "5",
		"10 degrees":                          "10",
		`12\text{ inches}`:                    "12",
		`\text{ cm}`:                          "",
		`$\$5.00$`:                            "5",
		"k = 3":                               "3",
		"y = 2x + 1":                          "2x+1",
		`\left( 3, 4 \right)`:                 "(3,4)",
		`\{1,2\}`:                             "{1,2}",
		`\emptyset`:                           "{}",
		`(-\infty,\infty)`:                    `\mathbb{R}`,
		`50\%`:                                "50",
		"March 3":                             "3",
		"{.5}":                                "{0.5}",
		"inf":                                 `\infty`,
		"3.000":                               "3",
		"2.50 m":                              "2.50",
		`\begin{array}{cc} 1 & 2 \end{array}`: `\begin{pmatrix}1&2\end{pmatrix}`,
		"2j":                                  "2i",
		"2j+i":                                "2j+i",
		`\frac{a}{b}`:                         `\frac{}{b}`, // the unit "a" goes, as in the recipe
		"a/b":                                 "/b",
		"5 sq . m":                            "50", // "q ." is a pattern: "." matches any character
		"π r 2 x":                             "x",
		`90^\circ`:                            "90",
		`\text{(A)}`:                          "(A)",
		"∴ 4 ✓":                               "∴4✓",
	})
}

// TestExtractMath holds the answer extraction to AIPerf's
// MathGrader._extract_with_flag: the cases of its test_math_grader.py,
// and edges of its answer-phrase pattern checked against CPython.
func TestExtractMath(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		unparsed bool
	}{
		{`Reasoning... \boxed{42}`, "42", false},
		{`I considered 99 and 11, but \boxed{42}`, "42", false},
		{`\boxed{1}\boxed{2}\boxed{3}`, "3", false},
		{`\boxed{\frac{1}{2}}`, `\frac{1}{2}`, false},
		{`\boxed{}`, "", false},
		{"\\boxed{\n 1,\n 2.}", "1,2", false},
		{`\boxed{:3/}`, "3", false},
		{"After careful thought, the answer is 42.", "42", true},
		{`the answer is \boxed{42}`, "42", false},
		{"I think it might be 99 or 42", "42", true},
		{"", "", true},
		{"   \n\t  ", "", true},
		{"I don't know.", "I don't know.", true},
		{"the answer is 3.14", "3.14", true},
		{"final answer: 0.5", "0.5", true},
		{"Answer = 100.001", "100.001", true},
		{"the answer is -2.5", "-2.5", true},
		{"the answer is 5. Wait, the answer is 12", "12", true},
		{"My first thought: the answer is 7. After reflection, the answer is 9.", "9", true},
		{"the answer is 5\nthe answer is 12", "12", true},
		{"Final answer: 5. Hmm, actually final answer: 12.", "12", true},
		{"the answer is 3.14\nand more context follows", "3.14", true},
		{"the answer is X. The rest is unrelated.", "X", true},
		{"the answer is 5.\nMore reasoning", "5", true},
		{`The answer is \frac{1}{2}.`, `\frac{1}{2}`, true},
		{`final answer: \pi`, `\pi`, true},
		{"The answer is {1,2,3}", "{1,2,3}", true},
		{"the answer is not 99", "99", true},
		{`\boxed{42 trailing`, "42", true},
		// Matches do not overlap: the first tail swallows the second phrase.
		{"the answer is answer: 5.", "5", true},
		{"answer:\n\n7", "7", true},
		{"answer is   \n", "", true},
		{"answer:\u00a0", "", true}, // the tail is the non-breaking space, stripped
		{"final answer is: 7", "7", true},
		{"ANSWER IS 8", "8", true},
		{"answer: 1.5.2", "2", true}, // the tail is "1.5.2"; its last number "2"
	} {
		got, unparsed := extractMath(tc.in)
		if got != tc.want || unparsed != tc.unparsed {
			t.Errorf("extractMath(%q) = %q, %v; want %q, %v", tc.in, got, unparsed, tc.want, tc.unparsed)
		}
	}
}

// TestMathGrader holds the grades to those of AIPerf's test_math_grader.py
// (MathGrader.grade), plus the recipe's math_equal branches.
func TestMathGrader(t *testing.T) {
	for _, tc := range []struct {
		response, gold    string
		correct, unparsed bool
	}{
		{`\boxed{42}`, "42", true, false},
		{`\boxed{99}`, "42", false, false},
		{`\boxed{0.5}`, "1/2", true, false},
		{`\boxed{\dfrac{1}{2}}`, "0.5", true, false},
		{`\boxed{-7}`, "-7", true, false},
		{`\boxed{0}`, "0", true, false},
		{`$\boxed{42}$`, "42", true, false},
		{`\boxed{\left(\dfrac{1}{2}\right)}`, "1/2", true, false},
		{`The answer is \frac{1}{2}`, "1/2", true, true},
		{`Initially I thought 99, but recomputing gives \boxed{42}.`, "42", true, false},
		{`Try \boxed{99}. Wait, actually \boxed{42}.`, "42", true, false},
		{`the answer is 42, oops I mean \boxed{99}`, "42", false, false},
		{`Therefore, after computing, \boxed{42} is the answer.`, "42", true, false},
		{`∴ \boxed{42} ✓`, "42", true, false},
		{"", "42", false, true},
		{"   \n\n  \t  ", "42", false, true},
		{`\boxed{}`, "42", false, false},
		{`\boxed{42 trailing`, "42", true, true},
		{"the answer is not 99", "42", false, true},
		{`\boxed{42}`, "  42  ", true, false},
		{"the answer is 42", "42", true, true},
		// math_equal's branches
		{`\boxed{(B) 7}`, "B", true, false},  // the last lone letter is the choice
		{`\boxed{A. 12}`, "12", true, false}, // a choice prefix is taken off
		{`\boxed{3, 1, 2}`, "1,2,3", true, false},
		{`\boxed{25\%}`, "0.25", true, false}, // percent variants
		{`\boxed{0.5}`, "0.6", false, false},
		{`\boxed{[1,2]}`, "1,2", true, false},
		{`\boxed{x = 4}`, "4", true, false},
		{`\boxed{2\sqrt{2}}`, `\sqrt{8}`, true, false},
		{`\boxed{\frac{\pi}{2}}`, "1.5708", true, false},
		{`\boxed{x+1}`, "1+x", true, false}, // equal values wherever x is, as sympy finds
		{`\boxed{2(x+y)}`, "2y+2x", true, false},
		{`\boxed{x+1}`, "y+1", false, false},
		{`\boxed{\frac{x^2-1}{x-1}}`, "x+1", true, false},
		{`\boxed{p+q=5}`, "q+p=5", true, false}, // equations: lhs - (rhs) compared
		{`\boxed{p+q=5}`, "p+q=6", false, false},
		{`\boxed{\sin x}`, `\sin(x)`, true, false},   // brackets ignored
		{`\boxed{\sin 2x}`, `2\sin x`, false, false}, // not equal; functions are not evaluated here
		{`\boxed{pq}`, "qp", false, false},           // two names, as sympy's parse_expr reads them
	} {
		g := mathGrade(tc.response, tc.gold)
		if g.Correct != tc.correct || g.Unparsed != tc.unparsed {
			t.Errorf("math(%q, %q) = %+v, want correct %v unparsed %v", tc.response, tc.gold, g, tc.correct, tc.unparsed)
		}
	}
	g := mathGrade(`\boxed{\dfrac{1}{2}}`, " 1/2 ")
	if g.Extracted != `\dfrac{1}{2}` || g.Gold != "1/2" ||
		g.Explanation != `extracted '\dfrac{1}{2}' (stripped '\frac{1}{2}'); ground_truth ' 1/2 ' (stripped '\frac{1}{2}'); compared via math_equal; match=True` {
		t.Errorf("grade %+v", g)
	}
}

// A reply with no answer in it is extracted whole; past 4 KB it is not
// compared (AIPerf would compare it, and fail it, at seconds of regex work).
func TestMathGradeLongReplyWithoutAnswer(t *testing.T) {
	reply := strings.Repeat("no answer here at all ", 5000)
	g := mathGrade(reply, "42")
	if g.Correct || !g.Unparsed || len(g.Extracted) != maxMathAnswer || !strings.Contains(g.Explanation, "more than the 4096 compared") {
		t.Fatalf("grade %+v", g.Explanation)
	}
	if g := mathGrade(`so \boxed{42}`, "42"); !g.Correct {
		t.Fatalf("a boxed answer: %+v", g)
	}
}
