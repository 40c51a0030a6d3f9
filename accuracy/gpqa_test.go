package accuracy

import (
	"context"
	"fmt"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
)

// TestGPQAOrder holds the answer shuffle to AIPerf's
// _seeded_shuffle_indices, each want printed by CPython:
// random.Random(int(sha256(q).hexdigest(), 16) % 2**32).shuffle([0, 1, 2, 3]).
func TestGPQAOrder(t *testing.T) {
	for q, want := range map[string]string{
		"What is 2+2?": "[0 1 2 3]",
		"Which particle mediates the strong force?": "[3 2 1 0]",
		"":                     "[2 1 3 0]",
		"A":                    "[1 2 3 0]",
		"Two photons collide.": "[2 1 3 0]",
		"ΔG < 0 means?":        "[3 2 0 1]",
	} {
		if got := fmt.Sprint(gpqaOrder(q)); got != want {
			t.Errorf("gpqaOrder(%q) = %s, want %s", q, got, want)
		}
	}
}

// TestGPQAPrompt holds the prompt to AIPerf's simple-evals template.
func TestGPQAPrompt(t *testing.T) {
	p := gpqaProblem("Which particle mediates the strong force?", "gluon", [3]string{"photon", "W boson", "graviton"}, "")
	want := "Answer the following multiple choice question. The last line of your response should be of the following format: 'Answer: $LETTER' (without quotes) where LETTER is one of ABCD. Think step by step before answering.\n\n" +
		"Which particle mediates the strong force?\n\nA) graviton\nB) W boson\nC) photon\nD) gluon"
	if !sameMessages(p.Messages, []Message{{"user", want}}) || p.Gold != "D" || p.MaxTokens != 32768 || p.Task != "gpqa_diamond" {
		t.Errorf("problem %+v", p)
	}
}

// TestLoadGPQAFromFakeHub reads the gpqa_diamond config's columns, whose
// names have spaces.
func TestLoadGPQAFromFakeHub(t *testing.T) {
	c := fakeHub(t, map[string][]byte{"datasets/Idavidrein/gpqa/gpqa_diamond/train/0000.parquet": hubtest.ParquetOf(t,
		hubtest.GPQARow{Question: "What is 2+2?", Correct: "4", Incorrect1: "3", Incorrect2: "5", Incorrect3: "22", Domain: "Math"},
		hubtest.GPQARow{Question: "A", Correct: "yes", Incorrect1: "no", Incorrect2: "maybe", Incorrect3: "never"})})
	problems, err := Load(context.Background(), c, &Config{Benchmark: "gpqa_diamond", Grader: "multiple_choice"})
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 2 || problems[0].Gold != "A" || problems[1].Gold != "D" || problems[1].Grader != "multiple_choice" {
		t.Errorf("problems %+v", problems)
	}
}
