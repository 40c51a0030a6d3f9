package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// TestProfileAccuracyMMLUFromFakeHub runs `profile --mock --accuracy-benchmark
// mmlu` against a fake Hub serving lighteval/mmlu's parquet conversion. The
// mock answers every question "A"; three of the four golds are A, so the
// score is 75%, in accuracy_results.csv and in the console table. inputs.json
// shows the requests built as AIPerf's chat messages (one few-shot turn).
func TestProfileAccuracyMMLUFromFakeHub(t *testing.T) {
	q := func(text string, answer int64) hubtest.MMLURow {
		return hubtest.MMLURow{Question: text, Subject: "anatomy", Choices: []string{"w", "x", "y", "z"}, Answer: answer}
	}
	hubtest.Use(t, map[string][]byte{
		"datasets/lighteval/mmlu/anatomy/test/0000.parquet": hubtest.Parquet(t, q("one?", 0), q("two?", 0), q("three?", 1), q("four?", 0)),
		"datasets/lighteval/mmlu/anatomy/dev/0000.parquet":  hubtest.Parquet(t, q("shot?", 2)),
	})
	stdout, dir := profileOK(t, "--mock", "--model", "m", "--accuracy-benchmark", "mmlu",
		"--accuracy-tasks", "anatomy", "--accuracy-n-shots", "1", "--request-count", "4", "--concurrency", "2")
	csv, err := os.ReadFile(filepath.Join(dir, "accuracy_results.csv"))
	if err != nil {
		t.Fatal(err)
	}
	want := "task,total,passed,unparsed,accuracy_rate,unparsed_rate\r\nanatomy,4,3,0,0.75,0.0\r\nOVERALL,4,3,0,0.75,0.0\r\n"
	if string(csv) != want {
		t.Errorf("accuracy_results.csv\n%q\nwant\n%q", csv, want)
	}
	if !strings.Contains(stdout, "Accuracy Benchmark Results") || !strings.Contains(stdout, "75.00%") {
		t.Errorf("console has no accuracy table:\n%s", stdout)
	}
	path := filepath.Join(dir, "accuracy_export.jsonl")
	passed := 0
	for _, rec := range testkit.ReadJSONLines[struct {
		Task, Expected, Actual, ModelOutput string
		Passed                              bool
		GraderName                          string  `json:"grader_name"`
		ModelThinking                       *string `json:"model_thinking"`
	}](t, path) {
		if rec.Task != "anatomy" || rec.Actual != "A" || rec.GraderName != "multiple_choice" || rec.ModelThinking != nil || rec.Passed != (rec.Expected == "A") {
			t.Errorf("accuracy_export.jsonl line %+v", rec)
		}
		if rec.Passed {
			passed++
		}
	}
	if lines := testkit.ReadFile(t, path); passed != 3 || !strings.HasPrefix(string(lines), `{"session_num":`) {
		t.Errorf("accuracy_export.jsonl: %d passed, want 3:\n%s", passed, lines)
	}
	wantInputs(t, dir,
		`"content": "The following are multiple choice questions (with answers) about anatomy.\n\nQuestion: shot?\nA. w\nB. x\nC. y\nD. z\nAnswer:"`,
		`"role": "assistant"`, `"content": " C"`,
		`"content": "Question: three?\nA. w\nB. x\nC. y\nD. z\nAnswer:"`,
		`"max_completion_tokens": 5`,
	)
}

// TestProfileAccuracyCoTAndSystemPrompt: --accuracy-enable-cot,
// --accuracy-system-prompt and --accuracy-n-shots 0 reach the requests.
func TestProfileAccuracyCoTAndSystemPrompt(t *testing.T) {
	hubtest.Use(t, map[string][]byte{
		"datasets/lighteval/mmlu/virology/test/0000.parquet": hubtest.Parquet(t,
			hubtest.MMLURow{Question: "A virus has?", Choices: []string{"a capsid", "cells", "mitochondria", "ribosomes"}, Answer: 0}),
	})
	stdout, dir := profileOK(t, "--mock", "--model", "m", "--accuracy-benchmark", "mmlu", "--accuracy-tasks", "virology",
		"--accuracy-n-shots", "0", "--accuracy-enable-cot", "--accuracy-system-prompt", "Be careful.", "--request-count", "1")
	inputs, err := os.ReadFile(filepath.Join(dir, "inputs.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{
		`"role": "system"`, `"content": "Be careful."`,
		`about virology. Think step by step and then output the answer in the format of \"The answer is (X)\" at the end.\n\nQuestion: A virus has?`,
		`Let's think step by step.\nAnswer:"`, `"max_completion_tokens": 4000`,
	} {
		if !strings.Contains(string(inputs), part) {
			t.Errorf("inputs.json lacks %s:\n%s", part, inputs)
		}
	}
	if strings.Contains(string(inputs), `"role": "assistant"`) {
		t.Error("a few-shot turn with --accuracy-n-shots 0")
	}
	if !strings.Contains(stdout, "100.00%") {
		t.Errorf("console:\n%s", stdout)
	}
}

// TestProfileAccuracyGSM8KFromFakeHub: `--accuracy-benchmark gsm8k` reads
// openai/gsm8k's main test split; the mock answers "#### 42", right for one
// of the two questions.
func TestProfileAccuracyGSM8KFromFakeHub(t *testing.T) {
	type row struct {
		Question string `parquet:"question"`
		Answer   string `parquet:"answer"`
	}
	hubtest.Use(t, map[string][]byte{"datasets/openai/gsm8k/main/test/0000.parquet": hubtest.Parquet(t, row{"Six sevens?", "6 * 7 = 42\n#### 42"}, row{"Three plus four?", "3 + 4 = 7\n#### 7"})})
	stdout, dir := profileOK(t, "--mock", "--model", "m", "--accuracy-benchmark", "gsm8k", "--request-count", "2", "--streaming", "--accuracy-verbose")
	wantAccuracyCSV(t, dir, "task,total,passed,unparsed,accuracy_rate,unparsed_rate\r\ngsm8k,2,1,0,0.5,0.0\r\nOVERALL,2,1,0,0.5,0.0\r\n")
	if !strings.Contains(stdout, "50.00%") {
		t.Errorf("console:\n%s", stdout)
	}
	// --accuracy-verbose: each grade's details in the run log.
	log, err := os.ReadFile(filepath.Join(dir, "logs", "aiperf.log"))
	if n := strings.Count(string(log), "accuracy grade"); err != nil || n != 2 || !strings.Contains(string(log), "gsm8k quasi-exact-match: gold '7' vs pred '42'") {
		t.Errorf("%d grades in the log (%v):\n%s", n, err, log)
	}
	// Fewer requests than questions: a warning says how many are graded.
	code, _, stderr, _ := profileInDir(t, "--mock", "--model", "m", "--accuracy-benchmark", "gsm8k", "--request-count", "1")
	if code != 0 || !strings.Contains(stderr, "1 requests ask 1 of the benchmark's 2 questions: give --request-count 2") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestProfileAccuracyBadFlags: each bad --accuracy-* value exits 2 with one
// line naming the flag, before anything is sent.
func TestProfileAccuracyBadFlags(t *testing.T) {
	t.Setenv("HF_ENDPOINT", "http://127.0.0.1:1") // should a case get as far as loading: loopback only
	t.Setenv("HF_HOME", t.TempDir())
	t.Setenv("HF_HUB_OFFLINE", "1")
	for _, tc := range []struct {
		args []string
		flag string
	}{
		{[]string{"--accuracy-benchmark", "mmlu", "--accuracy-n-shots", "33"}, "--accuracy-n-shots"},
		{[]string{"--accuracy-benchmark", "mmlu", "--accuracy-n-shots", "-2"}, "--accuracy-n-shots"},
		{[]string{"--accuracy-benchmark", "lcb_codegeneration"}, "--accuracy-benchmark"},
		{[]string{"--accuracy-benchmark", "mmlu", "--accuracy-grader", "lighteval_latex"}, "--accuracy-grader"},
		{[]string{"--accuracy-benchmark", "mmlu", "--accuracy-tasks", "cooking"}, "--accuracy-tasks"},
		{[]string{"--accuracy-tasks", "anatomy"}, "--accuracy-benchmark"},
		{[]string{"--accuracy-verbose"}, "--accuracy-benchmark"}, // AIPerf: silently ignored otherwise
		{[]string{"--accuracy-benchmark", "gsm8k", "--public-dataset", "librispeech"}, "--accuracy-benchmark"},
		{[]string{"--accuracy-benchmark", "mmlu", "--accuracy-enable-cot", "--accuracy-no-enable-cot"}, "--accuracy-enable-cot"},
	} {
		code, _, stderr, _ := profileInDir(t, append([]string{"--mock", "--model", "m"}, tc.args...)...)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if code != 2 || len(lines) != 1 || !strings.Contains(lines[0], tc.flag) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line naming %s", tc.args, code, stderr, tc.flag)
		}
	}
}

// TestProfileAccuracyAIMEFromFakeHub: `--accuracy-benchmark aime` with
// AIPerf's defaults (8 shots from the split's start, chain of thought, the
// boxed-answer system prompt, 4096 max tokens). The mock answers
// "\boxed{42}", right for three of the four problems: 75%, all parsed.
func TestProfileAccuracyAIMEFromFakeHub(t *testing.T) {
	row := func(p string, a int64) hubtest.AIMERow { return hubtest.AIMERow{Problem: p, Answer: a} }
	hubtest.Use(t, map[string][]byte{"datasets/Maxwell-Jia/AIME_2024/default/train/0000.parquet": hubtest.Parquet(t,
		row("Six sevens?", 42), row("Seven sixes?", 42), row("Three plus four?", 7), row("Forty-two?", 42))})
	stdout, dir := profileOK(t, "--mock", "--model", "m", "--accuracy-benchmark", "aime", "--request-count", "4")
	wantAccuracyCSV(t, dir, "task,total,passed,unparsed,accuracy_rate,unparsed_rate\r\naime,4,3,0,0.75,0.0\r\nOVERALL,4,3,0,0.75,0.0\r\n")
	if !strings.Contains(stdout, "75.00%") {
		t.Errorf("console:\n%s", stdout)
	}
	wantInputs(t, dir,
		`"content": "Please reason step by step, and put your final answer within \\boxed{}."`,
		`"content": "Solve the following competition math problem. The answer is a non-negative integer. Place your final answer inside \\boxed{}.\n\nProblem: Six sevens?\nAnswer:"`,
		`"content": "\\boxed{7}"`,
		`"content": "Problem: Forty-two?\nLet's think step by step.\nAnswer:"`,
		`"max_completion_tokens": 4096`,
	)
}

// TestProfileAccuracyHellaSwagFromFakeHub: `--accuracy-benchmark
// hellaswag --accuracy-n-shots 1 --accuracy-tasks zumba` sends DeepEval's
// one-message prompt; the mock answers "A", right for one of the two Zumba
// questions (the Ballet one is not asked).
func TestProfileAccuracyHellaSwagFromFakeHub(t *testing.T) {
	row := func(label, ctx, gold string) hubtest.HellaSwagRow {
		return hubtest.HellaSwagRow{ActivityLabel: label, Ctx: ctx, Endings: []string{"spins.", "jumps.", "sits.", "sleeps."}, Label: gold}
	}
	hubtest.Use(t, map[string][]byte{
		"datasets/Rowan/hellaswag/default/train/0000.parquet": hubtest.Parquet(t, row("Zumba", "A class warms up.", "1")),
		"datasets/Rowan/hellaswag/default/validation/0000.parquet": hubtest.Parquet(t,
			row("Zumba", "A woman dances.", "0"), row("Ballet", "A dancer bows.", "0"), row("Zumba", "The music stops.", "2")),
	})
	_, dir := profileOK(t, "--mock", "--model", "m", "--accuracy-benchmark", "hellaswag", "--accuracy-n-shots", "1",
		"--accuracy-tasks", "zumba", "--request-count", "2")
	wantAccuracyCSV(t, dir, "task,total,passed,unparsed,accuracy_rate,unparsed_rate\r\nZumba,2,1,0,0.5,0.0\r\nOVERALL,2,1,0,0.5,0.0\r\n")
	wantInputs(t, dir,
		`"content": "The following are multiple choice questions (with answers) are sentence completion problems about Zumba.\n\nA class warms up.\nA. spins.\nB. jumps.\nC. sits.\nD. sleeps.\nAnswer: B\n\nThe music stops.\nA. spins.\nB. jumps.\nC. sits.\nD. sleeps.\nAnswer:\n\nOutput 'A', 'B', 'C', or 'D'. Full answer not needed."`,
		`"max_completion_tokens": 5`,
	)
}

// TestProfileAccuracyGPQAFromFakeHub: `--accuracy-benchmark gpqa_diamond`
// shuffles each question's answers as AIPerf does; the mock's "Answer: A"
// is right, by lighteval_gpqa, for the question whose correct answer lands
// on A.
func TestProfileAccuracyGPQAFromFakeHub(t *testing.T) {
	hubtest.Use(t, map[string][]byte{"datasets/Idavidrein/gpqa/gpqa_diamond/train/0000.parquet": hubtest.Parquet(t,
		hubtest.GPQARow{Question: "What is 2+2?", Correct: "4", Incorrect1: "3", Incorrect2: "5", Incorrect3: "22"},
		hubtest.GPQARow{Question: "A", Correct: "yes", Incorrect1: "no", Incorrect2: "maybe", Incorrect3: "never"})})
	_, dir := profileOK(t, "--mock", "--model", "m", "--accuracy-benchmark", "gpqa_diamond", "--request-count", "2")
	wantAccuracyCSV(t, dir, "task,total,passed,unparsed,accuracy_rate,unparsed_rate\r\ngpqa_diamond,2,1,0,0.5,0.0\r\nOVERALL,2,1,0,0.5,0.0\r\n")
	inputs, err := os.ReadFile(filepath.Join(dir, "inputs.json"))
	if err != nil || !strings.Contains(string(inputs), `A\n\nA) no\nB) maybe\nC) never\nD) yes"`) || !strings.Contains(string(inputs), `"max_completion_tokens": 32768`) {
		t.Errorf("inputs.json (%v):\n%s", err, inputs)
	}
}

// wantAccuracyCSV checks a run's accuracy_results.csv byte for byte.
func wantAccuracyCSV(t *testing.T, dir, want string) {
	t.Helper()
	csv, err := os.ReadFile(filepath.Join(dir, "accuracy_results.csv"))
	if err != nil || string(csv) != want {
		t.Errorf("accuracy_results.csv %q (%v), want %q", csv, err, want)
	}
}

// wantInputs checks that a run's inputs.json holds every part.
func wantInputs(t *testing.T, dir string, parts ...string) {
	t.Helper()
	inputs, err := os.ReadFile(filepath.Join(dir, "inputs.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range parts {
		if !strings.Contains(string(inputs), part) {
			t.Errorf("inputs.json lacks %s", part)
		}
	}
}

// TestProfileAccuracyMATH500FromFakeHub: `--accuracy-benchmark math_500`
// sends each bare problem, one task per subject, graded by the math grader
// against the solution's boxed answer. The mock answers a LaTeX problem
// "\boxed{42}": right for both Algebra problems (one gold is \frac{84}{2},
// equal in value), wrong for the Prealgebra one.
func TestProfileAccuracyMATH500FromFakeHub(t *testing.T) {
	row := func(problem, solution, subject string) hubtest.MathRow {
		return hubtest.MathRow{Problem: problem, Solution: solution, Subject: subject}
	}
	hubtest.Use(t, map[string][]byte{"datasets/HuggingFaceH4/MATH-500/default/test/0000.parquet": hubtest.Parquet(t,
		row(`What is $6 \times 7$?`, `It is $\boxed{42}$.`, "Algebra"),
		row(`Compute $\frac{1}{2}+\frac{1}{2}$.`, `$\boxed{1}$`, "Prealgebra"),
		row(`Solve $2x = 84$ for $x$, as a fraction.`, `So $x = \boxed{\frac{84}{2}}$`, "Algebra"))})
	_, dir := profileOK(t, "--mock", "--model", "m", "--accuracy-benchmark", "math_500", "--request-count", "3")
	wantAccuracyCSV(t, dir, "task,total,passed,unparsed,accuracy_rate,unparsed_rate\r\n"+
		"Algebra,2,2,0,1.0,0.0\r\nPrealgebra,1,0,0,0.0,0.0\r\nOVERALL,3,2,0,0.6666666666666666,0.0\r\n")
	wantInputs(t, dir, `"content": "What is $6 \\times 7$?"`, `"max_completion_tokens": 32768`)
}
