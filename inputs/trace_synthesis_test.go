package inputs

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// promptWords is the prompt of a conversation's first turn, word by word.
func promptWords(t *testing.T, c Conversation) []string {
	t.Helper()
	return strings.Fields(parts(t, decode(t, c.Turns[0].Body))[0].Text)
}

// The cases of AIPerf's test_synthesizer.py, on the fixtures that follow them
// (testdata/synthesis/README.md names which).
func TestSynthesisReshapesMooncakeTraces(t *testing.T) {
	const shared = "testdata/synthesis/shared_prefix.jsonl"
	const ten = "testdata/synthesis/ten_shared_blocks.jsonl"
	tests := []struct {
		name      string
		file      string
		flags     []string
		isl       []int           // per conversation
		maxTokens []int           // per conversation, when checked
		stamps    []time.Duration // per conversation, when checked
		prefix    int             // words the first two prompts share
	}{
		{"defaults leave the trace", shared, nil, []int{1024, 1024, 3}, []int{50, 75, 20}, []time.Duration{0, time.Second, 2 * time.Second}, 512},
		{"speedup 2 halves timestamps", shared, []string{"--synthesis-speedup-ratio", "2"}, []int{1024, 1024, 3}, nil, []time.Duration{0, 500 * time.Millisecond, time.Second}, 512},
		{"speedup 0.5 doubles them", shared, []string{"--synthesis-speedup-ratio", "0.5"}, nil, nil, []time.Duration{0, 2 * time.Second, 4 * time.Second}, 0},
		{"speedup 0 leaves them", shared, []string{"--synthesis-speedup-ratio", "0"}, nil, nil, []time.Duration{0, time.Second, 2 * time.Second}, 0},
		{"prefix x2 stretches the shared block", shared, []string{"--synthesis-prefix-len-multiplier", "2"}, []int{1536, 1536, 3}, nil, nil, 1024},
		{"prefix and prompt x2", shared, []string{"--synthesis-prefix-len-multiplier", "2", "--synthesis-prompt-len-multiplier", "2"}, []int{2048, 2048, 3}, nil, nil, 1024},
		{"prefix x0.5 keeps one block", shared, []string{"--synthesis-prefix-len-multiplier", "0.5"}, []int{1024, 1024, 3}, nil, nil, 512},
		{"prompt x0.5 halves the unshared part", shared, []string{"--synthesis-prompt-len-multiplier", "0.5"}, []int{768, 768, 3}, nil, nil, 512},
		{"output x2.5 rounds half to even", shared, []string{"--synthesis-output-len-multiplier", "2.5"}, nil, []int{125, 188, 50}, nil, 0},
		{"max-osl caps after the multiplier", shared, []string{"--synthesis-output-len-multiplier", "2.5", "--synthesis-max-osl", "160"}, nil, []int{125, 160, 50}, nil, 0},
		{"max-osl alone caps", shared, []string{"--synthesis-max-osl", "60"}, nil, []int{50, 60, 20}, nil, 0},
		{"max-isl skips longer lines", shared, []string{"--synthesis-max-isl", "1000"}, []int{3}, []int{20}, nil, 0},
		{"fractional prefix x1.1", ten, []string{"--synthesis-prefix-len-multiplier", "1.1"}, []int{12 * 512, 12 * 512}, nil, nil, 10 * 512}, // the fraction's new blocks are each line's own, as AIPerf's
		{"fractional prefix x1.5", ten, []string{"--synthesis-prefix-len-multiplier", "1.5"}, []int{16 * 512, 16 * 512}, nil, nil, 10 * 512},
		{"max-isl caps a synthesized prompt", ten, []string{"--synthesis-prefix-len-multiplier", "1.5", "--synthesis-max-isl", "6000"}, []int{6000, 6000}, nil, nil, 10 * 512},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := loadArgs(t, tc.file, "", tc.flags...)
			c := d.Conversations
			if tc.isl != nil {
				var got []int
				for _, cv := range c {
					got = append(got, cv.Turns[0].InputTokens)
				}
				if !slices.Equal(got, tc.isl) {
					t.Fatalf("input lengths %v, want %v", got, tc.isl)
				}
			}
			for i, w := range tc.maxTokens {
				if got := c[i].Turns[0].MaxTokens; got != w {
					t.Errorf("conversation %d: max tokens %d, want %d", i, got, w)
				}
			}
			for i, w := range tc.stamps {
				if got := c[i].Turns[0].Timestamp; got != w || !c[i].Turns[0].HasTimestamp {
					t.Errorf("conversation %d: timestamp %v, want %v", i, got, w)
				}
			}
			if tc.prefix > 0 {
				a, b := promptWords(t, c[0]), promptWords(t, c[1])
				if n := commonPrefix(a, b); n != tc.prefix {
					t.Errorf("the first two prompts share %d words, want %d", n, tc.prefix)
				}
			}
		})
	}
}

// commonPrefix counts the leading words a and b share.
func commonPrefix(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// --synthesis-prefix-root-multiplier spreads identical lines over disjoint
// trees: lines in one tree share their prompt, lines in two share nothing.
func TestSynthesisPrefixRootsAreDisjoint(t *testing.T) {
	d := loadArgs(t, "testdata/synthesis/roots.jsonl", "", "--synthesis-prefix-root-multiplier", "3", "--synthesis-prefix-len-multiplier", "2")
	trees := map[string]bool{}
	for _, c := range d.Conversations {
		for _, tr := range c.Turns {
			w := strings.Fields(parts(t, decode(t, tr.Body))[0].Text)
			if len(w) != 2048 {
				t.Fatalf("prompt of %d words, want 2048 (4 blocks)", len(w))
			}
			trees[strings.Join(w, " ")] = true
		}
	}
	if len(trees) < 2 || len(trees) > 3 {
		t.Fatalf("%d distinct prompts across 24 lines, want 2 or 3 trees", len(trees))
	}
	var prompts [][]string
	for p := range trees {
		prompts = append(prompts, strings.Fields(p))
	}
	for i := range prompts {
		for j := i + 1; j < len(prompts); j++ {
			if n := commonPrefix(prompts[i], prompts[j]); n > 0 {
				t.Fatalf("two trees share %d leading words", n)
			}
		}
	}
	// Without the flag every line is one prompt.
	d = loadArgs(t, "testdata/synthesis/roots.jsonl", "", "--synthesis-prefix-len-multiplier", "2")
	first := parts(t, decode(t, d.Conversations[0].Turns[0].Body))[0].Text
	for _, c := range d.Conversations {
		for _, tr := range c.Turns {
			if parts(t, decode(t, tr.Body))[0].Text != first {
				t.Fatal("identical lines got different prompts without --synthesis-prefix-root-multiplier")
			}
		}
	}
}

func TestSynthesisRefusals(t *testing.T) {
	tests := []refusal{
		{[]string{"--synthesis-speedup-ratio", "2"}, "--synthesis-speedup-ratio (AIPERF_SYNTHESIS_SPEEDUP_RATIO): needs a mooncake_trace or baseten_trace --input-file"},
		{[]string{"--input-file", "x.jsonl", "--custom-dataset-type", "single_turn", "--synthesis-max-osl", "5"}, "--synthesis-max-osl (AIPERF_SYNTHESIS_MAX_OSL): applies only to trace input files (mooncake_trace, bailian_trace, burst_gpt_trace, baseten_trace), not single_turn"},
		{[]string{"--input-file", "x.jsonl", "--synthesis-prefix-root-multiplier", "0"}, "--synthesis-prefix-root-multiplier (AIPERF_SYNTHESIS_PREFIX_ROOT_MULTIPLIER): must be between 1 and"},
		{[]string{"--input-file", "x.jsonl", "--synthesis-prompt-len-multiplier", "-1"}, "--synthesis-prompt-len-multiplier (AIPERF_SYNTHESIS_PROMPT_LEN_MULTIPLIER): must not be negative"},
	}
	for _, tc := range tests {
		o := opts(t, append([]string{"-m", "x"}, tc.args...)...)
		err := o.Validate()
		var oe *options.Error
		if !errors.As(err, &oe) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.args, err, tc.want)
		}
	}
	// An inferred type that is not a trace is refused when the file is read.
	wantBuildError(t, "--synthesis-speedup-ratio", "-m", "x", "--input-file", "testdata/single_turn.jsonl", "--synthesis-speedup-ratio", "2")
	// A multiplier that would build a gigantic prompt names the line.
	wantBuildError(t, "shared_prefix.jsonl:1: synthesis makes input_length", "-m", "x", "--input-file", "testdata/synthesis/shared_prefix.jsonl", "--synthesis-prompt-len-multiplier", "1e12")
}

// As in AIPerf, no speech dataset declares filters: a valid --dataset-filter
// is refused naming the dataset, before anything is fetched.
func TestDatasetFilterOnSpeechDatasets(t *testing.T) {
	t.Setenv("HF_ENDPOINT", "http://127.0.0.1:1") // nothing may be fetched
	err := buildErr(t, "-m", "x", "--public-dataset", "librispeech", "--dataset-filter", "harness=x")
	var oe *options.Error
	if !errors.As(err, &oe) || err.Error() != "--dataset-filter (AIPERF_DATASET_FILTER): public dataset librispeech does not support --dataset-filter" {
		t.Fatalf("got %v", err)
	}
}

// Hash ids so large that stretching or shifting them would wrap are refused,
// naming the file, instead of silently sharing blocks between lines.
func TestSynthesisRefusesWrappingHashIDs(t *testing.T) {
	p := filepath.Join(t.TempDir(), "huge.jsonl")
	line := `{"input_length": 1024, "hash_ids": [4611686018427387000, 2]}` + "\n"
	os.WriteFile(p, []byte(line+line), 0o644)
	wantBuildError(t, "huge.jsonl: hash_ids beyond", "-m", "x", "--input-file", p, "--synthesis-prefix-len-multiplier", "2")
	// Without synthesis the same ids are only block names.
	if d := loadArgs(t, p, ""); len(d.Conversations) != 2 {
		t.Fatalf("%d conversations", len(d.Conversations))
	}
}
