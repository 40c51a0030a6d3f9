package accuracy

import (
	"context"
	"crypto/sha256"
	"encoding/binary"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
)

// GPQA-Diamond follows AIPerf's benchmarks/gpqa_diamond.py (lighteval's
// gpqa:diamond with simple-evals' prompt): Idavidrein/gpqa's gpqa_diamond
// train split (a gated dataset: HF_TOKEN), zero-shot, the correct answer
// and the three incorrect ones shuffled into A-D by a Python
// random.Random seeded from the question's SHA-256, 32768 max tokens.
const (
	gpqaRepo      = "Idavidrein/gpqa"
	gpqaDir       = "gpqa_diamond/train"
	gpqaTask      = "gpqa_diamond"
	gpqaMaxTokens = 32768
	gpqaOpening   = "Answer the following multiple choice question. The last line of your response should be of the following format: 'Answer: $LETTER' (without quotes) where LETTER is one of ABCD. Think step by step before answering.\n\n"
)

// gpqaOrder is AIPerf's _seeded_shuffle_indices(question, 4): CPython's
// random.Random(int(sha256(question).hexdigest(), 16) % 2**32) shuffling
// [0, 1, 2, 3]. The seed is the digest's last four bytes.
func gpqaOrder(question string) [4]int {
	sum := sha256.Sum256([]byte(question))
	rng := newPyRandom(binary.BigEndian.Uint32(sum[28:]))
	order := [4]int{0, 1, 2, 3}
	rng.shuffle(4, func(i, j int) { order[i], order[j] = order[j], order[i] })
	return order
}

// gpqaProblem renders the simple-evals template with the answers in
// gpqaOrder; the gold is the letter the correct answer landed on.
func gpqaProblem(question, correct string, incorrect [3]string, system string) Problem {
	raw := [4]string{correct, incorrect[0], incorrect[1], incorrect[2]}
	prompt := gpqaOpening + question + "\n\n"
	gold := ""
	for pos, i := range gpqaOrder(question) {
		if pos > 0 {
			prompt += "\n"
		}
		prompt += letters[pos:pos+1] + ") " + raw[i]
		if i == 0 {
			gold = letters[pos : pos+1]
		}
	}
	msgs := append(systemMessage(system), Message{Role: "user", Content: prompt})
	return Problem{Task: gpqaTask, Gold: gold, Messages: msgs, MaxTokens: gpqaMaxTokens}
}

func loadGPQA(ctx context.Context, c *hub.Client, cfg *Config) ([]Problem, error) {
	rows, err := readTextColumns(ctx, c, gpqaRepo, gpqaDir,
		"Question", "Correct Answer", "Incorrect Answer 1", "Incorrect Answer 2", "Incorrect Answer 3")
	if err != nil {
		return nil, err
	}
	out := make([]Problem, len(rows))
	for i, r := range rows {
		out[i] = gpqaProblem(r[0], r[1], [3]string{r[2], r[3], r[4]}, cfg.SystemPrompt)
	}
	return out, nil
}
