package accuracy

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
)

// TestGPQAOrder holds the answer shuffle to AIPerf's
// _seeded_shuffle_indices, each want printed by CPython:
// random.Random(int(sha256(q).hexdigest(), 16) % 2**32).shuffle([0, 1, 2, 3]).
func TestGPQAOrder(t *testing.T) {
	checkEach(t, "gpqaOrder", func(q string) string { return fmt.Sprint(gpqaOrder(q)) }, map[string]string{
		"What is 2+2?": "[0 1 2 3]",
		"Which particle mediates the strong force?": "[3 2 1 0]",
		"":                     "[2 1 3 0]",
		"A":                    "[1 2 3 0]",
		"Two photons collide.": "[2 1 3 0]",
		"ΔG < 0 means?":        "[3 2 0 1]",
	})
}

// TestGPQAPrompt holds the prompt to AIPerf's simple-evals template.
func TestGPQAPrompt(t *testing.T) {
	p := gpqaProblem("Which particle mediates the strong force?", "gluon", [3]string{"photon", "W boson", "graviton"}, "")
	want := "Answer the following multiple choice question. The last line of your response should be of the following format: 'Answer: $LETTER' (without quotes) where LETTER is one of ABCD. Think step by step before answering.\n\n" +
		"Which particle mediates the strong force?\n\nA) graviton\nB) W boson\nC) photon\nD) gluon"
	if !slices.Equal(p.Messages, []Message{{"user", want}}) || p.Gold != "D" || p.MaxTokens != 32768 || p.Task != "gpqa_diamond" {
		t.Errorf("problem %+v", p)
	}
}

// TestLoadGPQAFromFakeHub reads the gpqa_diamond config's columns, whose
// names have spaces.
func TestLoadGPQAFromFakeHub(t *testing.T) {
	c := fakeHub(t, map[string][]byte{"datasets/Idavidrein/gpqa/gpqa_diamond/train/0000.parquet": hubtest.Parquet(t,
		hubtest.GPQARow{Question: "What is 2+2?", Correct: "4", Incorrect1: "3", Incorrect2: "5", Incorrect3: "22", Domain: "Math"},
		hubtest.GPQARow{Question: "A", Correct: "yes", Incorrect1: "no", Incorrect2: "maybe", Incorrect3: "never"})})
	problems, err := Load(context.Background(), c, &Config{Benchmark: "gpqa_diamond", Grader: "lighteval_gpqa"})
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 2 || problems[0].Gold != "A" || problems[1].Gold != "D" || problems[1].Grader != "lighteval_gpqa" {
		t.Errorf("problems %+v", problems)
	}
}

// TestLightevalGPQA holds the letter extraction to lighteval's
// lazy_indices_regex and extract_target_from_pred (English, A-D): each
// want was printed by those patterns and that selection run in CPython.
func TestLightevalGPQA(t *testing.T) {
	checkEach(t, "extractIndex", extractIndex, map[string]string{
		"Answer: A":              "A",
		"Answer: B\n":            "B",
		"The answer is C.":       "C",
		"I think **D** is right": "D",
		"Final answer is B. I hope it is correct.": "B",
		"My final answer for this is: C":           "C",
		"B, because":                               "B",
		"Let me think. Answer: (C)":                "C",
		"answer: D\nbut wait Answer: A":            "A",
		"Cats and Dogs":                            "D",
		"ABCD":                                     "D",
		"The final answer is\nC":                   "C",
		"answer is B, Answer: C":                   "C",
		"A B C D":                                  "A",
		"Option A is wrong; Answer: D.":            "D",
		"Therefore, the answer is A, not B.":       "A",
		"\u00a0B\u00a0":                            "B",
		"no letters here":                          "",
	})
	g := GradeAnswer("lighteval_gpqa", "Reasoning...\nAnswer: C", "C")
	if !g.Correct || g.Unparsed || g.Explanation != "lighteval LightevalGPQAGrader: score=1.0 (threshold 0.5)" {
		t.Errorf("grade %+v", g)
	}
	if g := GradeAnswer("lighteval_gpqa", "no letters here", "C"); g.Correct || g.Unparsed {
		t.Errorf("grade %+v", g)
	}
}

// checkEach checks f(in) against want for each case.
func checkEach(t *testing.T, name string, f func(string) string, cases map[string]string) {
	t.Helper()
	for in, want := range cases {
		if got := f(in); got != want {
			t.Errorf("%s(%q) = %q, want %q", name, in, got, want)
		}
	}
}
