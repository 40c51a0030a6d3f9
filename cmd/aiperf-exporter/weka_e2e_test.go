package main

import (
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// A directory of Weka traces replays against the mock: each trace is one
// session whose requests are sent in order, each asking for its recorded
// output (capped by --synthesis-max-osl; 0 sent as 1), with the recorded gaps
// capped so the two-minute trace takes well under a second.
func TestWekaTraceReachesTheMock(t *testing.T) {
	_, truths, _ := profileMockRecords(t, 4, "--model", "m", "--streaming",
		"--custom-dataset-type", "weka_trace", "--input-file", "../../inputs/testdata/weka/traces",
		"--trace-idle-gap-cap-seconds", "0.05", "--inter-turn-delay-cap-seconds", "0.05",
		"--synthesis-max-osl", "8", "--concurrency", "1", "--request-count", "4")
	completions := map[int]int{}
	for _, tr := range truths {
		completions[tr.CompletionTokens]++
	}
	if completions[5] != 1 || completions[1] != 1 || completions[8] != 2 {
		t.Fatalf("completion lengths %v, want the recorded 5, 1 (from 0), and 30 and 900 capped at 8", completions)
	}
}

// --hf-weka-dataset replays a (fake) Hub repo's traces with profile --mock:
// inputs.json holds one conversation per trace, the session's turns in order.
func TestWekaTraceFromFakeHub(t *testing.T) {
	trace := testkit.ReadFile(t, "../../inputs/testdata/weka/traces/trace_a.json")
	hubtest.Use(t, map[string][]byte{"datasets/org/weka/trace_a.json": trace})
	_, dir := profileOK(t, "--mock", "--model", "m", "--hf-weka-dataset", "org/weka",
		"--inter-turn-delay-cap-seconds", "0.05", "--request-count", "3")
	convs := inputsPayloads(t, dir)
	if len(convs) != 1 {
		t.Fatalf("inputs.json has %d conversations, want the repo's one trace", len(convs))
	}
	if len(convs[0]) != 3 {
		t.Fatalf("conversation %v, want the trace's 3 turns", convs[0])
	}
}
