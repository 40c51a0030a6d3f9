package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// A baseten Parquet trace replays against the mock: every row is sent (idle
// gaps capped so the minute-long trace takes well under a second), each asks
// for its recorded output length, and inputs.json shows the bodies with
// min_tokens and the KV hints, as AIPerf sends them.
func TestBasetenTraceReachesTheMock(t *testing.T) {
	trace := filepath.Join(t.TempDir(), "trace.parquet")
	hubtest.BasetenFile(t, "../../inputs/testdata/baseten/trace.jsonl", trace)
	_, truths, out := profileMockRecords(t, 4, "--model", "m", "--streaming",
		"--input-file", trace, "--max-idle-gap-cap-seconds", "0.1")
	completions := map[int]int{}
	for _, tr := range truths {
		completions[tr.CompletionTokens]++
	}
	if completions[4] != 1 || completions[1] != 1 || completions[3] != 1 || completions[2] != 1 {
		t.Fatalf("completion lengths %v, want one each of the recorded 4, 1 (floored from 0), 3 and 2", completions)
	}
	inputs := testkit.ReadFile(t, filepath.Join(out, "inputs.json"))
	compact := strings.Join(strings.Fields(string(inputs)), "")
	if !strings.Contains(compact, `"min_tokens":4,"hash_ids":[1,2],"block_size":64`) {
		t.Fatalf("inputs.json lacks the hinted row's body fields:\n%.2000s", inputs)
	}
}
