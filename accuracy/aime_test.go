package accuracy

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
)

// fakeHub is a hub client on a fake Hub serving files.
func fakeHub(t *testing.T, files map[string][]byte) *hub.Client {
	t.Helper()
	return &hub.Client{Endpoint: hubtest.New(t, files), CacheDir: t.TempDir()}
}

// TestAIMEPrompt holds the chat messages to AIPerf's AIMEBenchmark
// _build_chat_messages (benchmarks/aime.py), byte for byte.
func TestAIMEPrompt(t *testing.T) {
	p := aimeProblem("Find x.", "7", []exchange{aimeShot("Find y.", "3"), aimeShot("Find z.", "12")}, true, aimeSystemPrompt)
	want := []Message{
		{"system", `Please reason step by step, and put your final answer within \boxed{}.`},
		{"user", "Solve the following competition math problem. The answer is a non-negative integer. Place your final answer inside \\boxed{}.\n\nProblem: Find y.\nAnswer:"},
		{"assistant", `\boxed{3}`},
		{"user", "Problem: Find z.\nAnswer:"},
		{"assistant", `\boxed{12}`},
		{"user", "Problem: Find x.\nLet's think step by step.\nAnswer:"},
	}
	if !slices.Equal(p.Messages, want) || p.Gold != "7" || p.MaxTokens != 4096 || p.Task != "aime" {
		t.Errorf("few-shot CoT problem %+v", p)
	}
	p = aimeProblem("Find x.", "7", nil, false, "")
	want = []Message{{"user", "Solve the following competition math problem. The answer is a non-negative integer. Place your final answer inside \\boxed{}.\n\nProblem: Find x.\nAnswer:"}}
	if !slices.Equal(p.Messages, want) {
		t.Errorf("zero-shot problem %+v", p)
	}
}

// TestLoadMathFromFakeHub reads each math benchmark's mirror as the Hub's
// parquet conversion holds it: AIME_2024's integer answers, aime_2025's
// text ones, MATH-500's boxed solutions and subjects.
func TestLoadMathFromFakeHub(t *testing.T) {
	c := fakeHub(t, map[string][]byte{
		"datasets/Maxwell-Jia/AIME_2024/default/train/0000.parquet": hubtest.Parquet(t,
			hubtest.AIMERow{ID: "2024-I-1", Problem: "P1?", Answer: 204}, hubtest.AIMERow{ID: "2024-I-2", Problem: "P2?", Answer: 25}),
		"datasets/Maxwell-Jia/AIME_2024/default/train/0001.parquet":   hubtest.Parquet(t, hubtest.AIMERow{Problem: "P3?", Answer: 0}),
		"datasets/HuggingFaceH4/aime_2024/default/train/0000.parquet": hubtest.Parquet(t, hubtest.MathRow{Problem: "Q24?", Answer: "113"}),
		"datasets/yentinglin/aime_2025/default/train/0000.parquet":    hubtest.Parquet(t, hubtest.MathRow{Problem: "Q25?", Answer: "70"}),
		"datasets/HuggingFaceH4/MATH-500/default/test/0000.parquet": hubtest.Parquet(t,
			hubtest.MathRow{Problem: "Half of one?", Solution: `So it is $\boxed{\frac{1}{2}}$.`, Answer: `\frac{1}{2}`, Subject: "Algebra", Level: 1}),
	})
	ctx := context.Background()
	problems, err := Load(ctx, c, &Config{Benchmark: "aime", NShots: 2, CoT: true, Grader: "math", SystemPrompt: aimeSystemPrompt})
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) != 3 || problems[2].Gold != "0" || problems[0].Gold != "204" || len(problems[2].Messages) != 6 ||
		problems[2].Messages[4].Content != `\boxed{25}` || problems[2].Grader != "math" {
		t.Errorf("aime problems %+v", problems)
	}
	for _, tc := range []struct{ bench, task, content, gold string }{
		{"aime24", "aime24", "Q24?", "113"},
		{"aime25", "aime25", "Q25?", "70"},
		{"math_500", "Algebra", "Half of one?", `\frac{1}{2}`},
	} {
		problems, err := Load(ctx, c, &Config{Benchmark: tc.bench, Grader: "math"})
		if err != nil {
			t.Fatal(err)
		}
		want := []Message{{"user", tc.content}}
		if len(problems) != 1 || problems[0].Task != tc.task || problems[0].Gold != tc.gold || !slices.Equal(problems[0].Messages, want) || problems[0].MaxTokens != 32768 {
			t.Errorf("%s problems %+v", tc.bench, problems)
		}
	}
	// A mirror without the columns is refused, naming the column.
	c = fakeHub(t, map[string][]byte{"datasets/HuggingFaceH4/aime_2024/default/train/0000.parquet": hubtest.Parquet(t, hubtest.AIMERow{Problem: "P?"})})
	if _, err := Load(ctx, c, &Config{Benchmark: "aime24", Grader: "math"}); err == nil || !strings.Contains(err.Error(), "no column problem") {
		t.Errorf("AIME_2024 rows read as aime24: %v", err)
	}
}

// TestReadTextColumnsOptional reads nullable columns, as the Hub's
// conversion writes them from Arrow: a null answer is Python's "None".
func TestReadTextColumnsOptional(t *testing.T) {
	type row struct {
		Problem *string `parquet:"problem,optional"`
		Answer  *int64  `parquet:"answer,optional"`
	}
	p, a := "P?", int64(7)
	c := fakeHub(t, map[string][]byte{"datasets/x/y/default/train/0000.parquet": hubtest.Parquet(t, row{&p, &a}, row{&p, nil})})
	rows, err := readTextColumns(context.Background(), c, "x/y", "default/train", "problem", "answer")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0][0] != "P?" || rows[0][1] != "7" || rows[1][1] != "None" {
		t.Errorf("rows %q", rows)
	}
	if _, err := readTextColumns(context.Background(), c, "x/y", "default/train", "solution"); err == nil || !strings.Contains(err.Error(), "no column solution") {
		t.Errorf("missing column: %v", err)
	}
}
