package accuracy

import (
	"context"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
)

// The math benchmarks, graded by the math grader here (see README: AIPerf
// grades aime24, aime25 and math_500 with lighteval's extractive match).
//
// aime follows AIPerf's benchmarks/aime.py: Maxwell-Jia/AIME_2024's train
// split, the instruction to box a non-negative integer, few-shot examples
// taken from the start of the same split, 4096 max tokens.
// aime24, aime25 and math_500 follow lighteval's zero-shot tasks: the bare
// problem as the one user message, 32768 max tokens.
const (
	aimeRepo        = "Maxwell-Jia/AIME_2024"
	aimeMaxTokens   = 4096
	aimeInstruction = "Solve the following competition math problem. The answer is a non-negative integer. Place your final answer inside \\boxed{}.\n\n"
	// aimeSystemPrompt is AIPerf's default system prompt for aime.
	aimeSystemPrompt = `Please reason step by step, and put your final answer within \boxed{}.`

	lightevalMathMaxTokens = 32768
	math500Repo            = "HuggingFaceH4/MATH-500"
)

// bareProblemSets are the zero-shot sets: where their train (or test)
// split is, and the task name AIPerf gives their rows.
var bareProblemSets = map[string]struct{ repo, dir string }{
	"aime24": {"HuggingFaceH4/aime_2024", "default/train"},
	"aime25": {"yentinglin/aime_2025", "default/train"},
}

// aimeProblem builds AIPerf's AIME chat messages: the instruction opens the
// first user message, each shot answers "\boxed{answer}", the question
// ends in "Answer:" (after "Let's think step by step." with CoT).
func aimeProblem(problem, answer string, shots []exchange, cot bool, system string) Problem {
	q := "Problem: " + problem + "\n"
	if cot {
		q += "Let's think step by step.\n"
	}
	msgs := fewShotChat(system, aimeInstruction, shots, q+"Answer:")
	return Problem{Task: "aime", Gold: answer, Messages: msgs, MaxTokens: aimeMaxTokens}
}

// aimeShot is a solved problem shown before the question.
func aimeShot(problem, answer string) exchange {
	return exchange{"Problem: " + problem + "\nAnswer:", `\boxed{` + answer + "}"}
}

// bareProblem is lighteval's zero-shot math prompt: the problem alone.
func bareProblem(task, problem, gold, system string) Problem {
	msgs := append(systemMessage(system), Message{Role: "user", Content: problem})
	return Problem{Task: task, Gold: gold, Messages: msgs, MaxTokens: lightevalMathMaxTokens}
}

// loadAIME reads Maxwell-Jia/AIME_2024: every problem of its train split,
// the first n also as the few-shot examples, as AIPerf does.
func loadAIME(ctx context.Context, c *hub.Client, cfg *Config) ([]Problem, error) {
	rows, err := readTextColumns(ctx, c, aimeRepo, "default/train", "Problem", "Answer")
	if err != nil {
		return nil, err
	}
	shots := make([]exchange, 0, min(cfg.NShots, len(rows)))
	for _, r := range rows[:cap(shots)] {
		shots = append(shots, aimeShot(r[0], r[1]))
	}
	out := make([]Problem, len(rows))
	for i, r := range rows {
		out[i] = aimeProblem(r[0], r[1], shots, cfg.CoT, cfg.SystemPrompt)
	}
	return out, nil
}

// loadBareProblems reads aime24 or aime25: problem and answer.
func loadBareProblems(ctx context.Context, c *hub.Client, cfg *Config) ([]Problem, error) {
	set := bareProblemSets[cfg.Benchmark]
	rows, err := readTextColumns(ctx, c, set.repo, set.dir, "problem", "answer")
	if err != nil {
		return nil, err
	}
	out := make([]Problem, len(rows))
	for i, r := range rows {
		out[i] = bareProblem(cfg.Benchmark, r[0], r[1], cfg.SystemPrompt)
	}
	return out, nil
}

// loadMATH500 reads HuggingFaceH4/MATH-500's test split. The task is the
// row's subject (AIPerf's per-subject rows); the gold is the solution's
// last \boxed{} answer, which lighteval's LaTeX gold extraction takes and
// the math grader needs (the whole solution would never compare equal).
func loadMATH500(ctx context.Context, c *hub.Client, cfg *Config) ([]Problem, error) {
	rows, err := readTextColumns(ctx, c, math500Repo, "default/test", "problem", "solution", "subject")
	if err != nil {
		return nil, err
	}
	out := make([]Problem, len(rows))
	for i, r := range rows {
		gold, ok := lastBoxed(r[1])
		if !ok {
			gold = r[1]
		}
		task := r[2]
		if task == "" || task == "None" {
			task = "math_500"
		}
		out[i] = bareProblem(task, r[0], gold, cfg.SystemPrompt)
	}
	return out, nil
}
