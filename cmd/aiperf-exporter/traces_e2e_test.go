package main

import (
	"bytes"
	"reflect"
	"sort"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// traceRun replays a trace file against the mock and returns the output
// lengths the mock was asked for (sorted) and inputs.json's turns per
// conversation.
func traceRun(t *testing.T, requests int, args ...string) (completions, turns []int) {
	t.Helper()
	_, truths, out := profileMockRecords(t, requests, append([]string{"--model", "m", "--streaming", "--fixed-schedule-auto-offset"}, args...)...)
	for _, tr := range truths {
		completions = append(completions, tr.CompletionTokens)
	}
	sort.Ints(completions)
	for _, payloads := range inputsPayloads(t, out) {
		turns = append(turns, len(payloads))
	}
	return completions, turns
}

// A Bailian trace replays on its own schedule (auto-offset: 61.114 s is the
// start): chat 159's chain is one session of three turns in turn order.
func TestBailianTraceReachesTheMock(t *testing.T) {
	completions, turns := traceRun(t, 5, "--custom-dataset-type", "bailian_trace",
		"--input-file", "../../inputs/testdata/bailian/trace.jsonl")
	if want := []int{1, 7, 9, 80, 132}; !reflect.DeepEqual(completions, want) {
		t.Fatalf("completion lengths %v, want the recorded %v", completions, want)
	}
	if want := []int{3, 1, 1}; !reflect.DeepEqual(turns, want) {
		t.Fatalf("inputs.json turns per conversation %v, want %v", turns, want)
	}
}

// A BurstGPT CSV (inferred from .csv) replays each row as a session of its
// own; --synthesis-speedup-ratio 100 turns its 42 s into under half a second.
func TestBurstGPTTraceReachesTheMock(t *testing.T) {
	completions, turns := traceRun(t, 4, "--input-file", "../../inputs/testdata/burstgpt/trace.csv",
		"--synthesis-speedup-ratio", "100")
	if want := []int{1, 18, 251, 276}; !reflect.DeepEqual(completions, want) {
		t.Fatalf("completion lengths %v, want the recorded %v (0 sent as 1)", completions, want)
	}
	if want := []int{1, 1, 1, 1}; !reflect.DeepEqual(turns, want) {
		t.Fatalf("inputs.json turns per conversation %v, want %v", turns, want)
	}
}

// An inputs.json written by one run replays verbatim in the next (inferred
// from its shape): the mock is sent the same bodies, so the second run's
// inputs.json is the first's, byte for byte.
func TestInputsJSONRoundTrip(t *testing.T) {
	m := startMock(t)
	run := func(args ...string) string {
		t.Helper()
		_, out := profileOK(t, append([]string{"--url", m.URL, "--model", "m", "--streaming", "--concurrency", "1"}, args...)...)
		return out
	}
	first := run("--synthetic-input-tokens-mean", "20", "--conversation-turn-mean", "2", "--conversation-num", "2", "--request-count", "4")
	second := run("--input-file", first+"/inputs.json", "--request-count", "4")
	a, b := testkit.ReadFile(t, first+"/inputs.json"), testkit.ReadFile(t, second+"/inputs.json")
	if !bytes.Equal(a, b) {
		t.Fatalf("replayed inputs.json differs:\n%s\nwant\n%s", b, a)
	}
	recs, truths := truthsOf(t, m, second, 4)
	for i, tr := range truths {
		if tr.Status != 200 || !tr.Stream || recs[i].Record.InputTokens == 0 {
			t.Fatalf("request %d: status %d, stream %v, ISL %d", i, tr.Status, tr.Stream, recs[i].Record.InputTokens)
		}
	}
}

// A directory of raw payload files replays each file as one conversation, its
// lines sent as they are: the mock answers the max tokens each line asks for.
func TestRawPayloadReachesTheMock(t *testing.T) {
	_, truths, out := profileMockRecords(t, 3, "--model", "m", "--concurrency", "1",
		"--input-file", "../../inputs/testdata/raw_payload/conversations", "--request-count", "3")
	completions := map[int]int{}
	for _, tr := range truths {
		if tr.Status != 200 || tr.Stream {
			t.Fatalf("status %d, stream %v", tr.Status, tr.Stream)
		}
		completions[tr.CompletionTokens]++
	}
	if completions[4] != 2 {
		t.Fatalf("completion lengths %v, want file a's two turns at their max_completion_tokens 4", completions)
	}
	if n := len(inputsPayloads(t, out)); n != 2 {
		t.Fatalf("inputs.json has %d conversations, want the directory's two files", n)
	}
}

// A SageMaker Data Capture directory (inferred) replays its records on their
// captured schedule, the earliest at 0, each asking for its captured max tokens.
func TestSageMakerCaptureReachesTheMock(t *testing.T) {
	completions, turns := traceRun(t, 3, "--input-file", "../../inputs/testdata/sagemaker")
	if want := []int{6, 7, 50}; !reflect.DeepEqual(completions, want) {
		t.Fatalf("completion lengths %v, want the captured 7 and 50, and the mock's 6 for the record that asks none (as AIPerf)", completions)
	}
	if want := []int{1, 1, 1}; !reflect.DeepEqual(turns, want) {
		t.Fatalf("inputs.json turns per conversation %v, want %v", turns, want)
	}
}

// profile --mock over a BurstGPT trace: inputs.json holds AIPerf's chat
// payload for each row, max_completion_tokens its Response tokens.
func TestBurstGPTTraceInputsJSONWithMock(t *testing.T) {
	_, dir := profileOK(t, "--mock", "--model", "m", "--input-file", "../../inputs/testdata/burstgpt/trace.csv",
		"--synthesis-speedup-ratio", "100", "--fixed-schedule-auto-offset")
	var maxTokens []float64
	for _, payloads := range inputsPayloads(t, dir) {
		if len(payloads) != 1 {
			t.Fatalf("conversation %v, want one payload", payloads)
		}
		p := payloads[0]
		if msgs := testkit.JSONAt[[]any](t, p, "messages"); len(msgs) != 1 || p["model"] != "m" || p["stream"] != false {
			t.Fatalf("payload %v, want one user message to model m, stream false", p)
		}
		maxTokens = append(maxTokens, testkit.JSONAt[float64](t, p, "max_completion_tokens"))
	}
	if want := []float64{18, 251, 276, 1}; !reflect.DeepEqual(maxTokens, want) {
		t.Fatalf("max_completion_tokens %v, want %v", maxTokens, want)
	}
}
