package main

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// A synthesized mooncake trace reaches the mock as reshaped: the shared prefix
// doubled (1024 → 1536 prompt words), output lengths capped by --synthesis-max-osl.
func TestSynthesisReachesTheMock(t *testing.T) {
	_, truths, out := profileMockRecords(t, 3, "--model", "m", "--streaming",
		"--input-file", "../../inputs/testdata/synthesis/shared_prefix.jsonl",
		"--synthesis-prefix-len-multiplier", "2", "--synthesis-speedup-ratio", "4", "--synthesis-max-osl", "3")
	var prompts, completions []int
	for _, tr := range truths {
		prompts = append(prompts, tr.PromptTokens)
		completions = append(completions, tr.CompletionTokens)
	}
	slices.Sort(prompts)
	if len(prompts) != 3 || prompts[1] != 1536 || prompts[2] != 1536 {
		t.Fatalf("the mock saw prompts of %v tokens, want the two hashed lines at 1536", prompts)
	}
	for _, c := range completions {
		if c > 3 {
			t.Fatalf("completions %v: --synthesis-max-osl 3 not sent", completions)
		}
	}
	// The export's input_config carries the settings under AIPerf's names.
	export := testkit.ReadJSON[struct {
		InputConfig struct {
			Input struct {
				Synthesis map[string]float64 `json:"synthesis"`
			} `json:"input"`
		} `json:"input_config"`
	}](t, filepath.Join(out, report.JSONFile))
	want := map[string]float64{"prefix_len_multiplier": 2, "speedup_ratio": 4, "max_osl": 3}
	if got := export.InputConfig.Input.Synthesis; len(got) != len(want) || got["prefix_len_multiplier"] != 2 || got["speedup_ratio"] != 4 || got["max_osl"] != 3 {
		t.Fatalf("input_config.input.synthesis %v, want %v", got, want)
	}
}
