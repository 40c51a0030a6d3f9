package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// endpointArgs are the flags an endpoint type needs beyond the common ones.
var endpointArgs = map[string][]string{
	"image_retrieval": {"--image-batch-size", "2", "--image-width-mean", "16", "--image-height-mean", "16"},
}

// Every endpoint type runs end to end against the embedded mock: the console
// table carries AIPerf's title for it, the JSON export its rows (token rows
// only where the endpoint produces tokens), and inputs.json its payloads.
func TestProfileEndpointTypes(t *testing.T) {
	cases := []struct {
		endpoint, title, firstKey string
		tokens                    bool
	}{
		{"completions", "NVIDIA AIPerf | LLM Metrics", "prompt", true},
		{"embeddings", "NVIDIA AIPerf | Embeddings Metrics", "model", false},
		{"nim_rankings", "NVIDIA AIPerf | Rankings Metrics", "model", false},
		{"hf_tei_rankings", "NVIDIA AIPerf | Ranking Metrics", "query", false},
		{"cohere_rankings", "NVIDIA AIPerf | Ranking Metrics", "model", false},
		{"huggingface_generate", "NVIDIA AIPerf | LLM Metrics", "inputs", true},
		{"responses", "NVIDIA AIPerf | LLM Metrics", "input", true},
		{"nim_embeddings", "NVIDIA AIPerf | NIM Embeddings Metrics", "model", false},
		{"cohere_embeddings", "NVIDIA AIPerf | Embeddings Metrics", "model", false},
		{"chat_embeddings", "NVIDIA AIPerf | Embeddings Metrics", "messages", false},
		{"hf_tei_reranker", "NVIDIA AIPerf | Ranking Metrics", "query", false},
		{"huggingface_reranker", "NVIDIA AIPerf | Ranking Metrics", "query", false},
		{"cohere_rerank", "NVIDIA AIPerf | Ranking Metrics", "model", false},
		{"image_retrieval", "NVIDIA AIPerf | Image Retrieval Metrics", "input", false},
		{"anthropic_messages", "NVIDIA AIPerf | LLM Metrics", "model", true},
		{"solido_rag", "NVIDIA AIPerf | SOLIDO RAG Metrics", "query", true},
	}
	for _, c := range cases {
		t.Run(c.endpoint, func(t *testing.T) {
			args := append([]string{"--mock", "--model", "m", "--endpoint-type", c.endpoint, "--streaming",
				"--isl", "8", "--osl", "4", "--request-count", "4", "--concurrency", "2"}, endpointArgs[c.endpoint]...)
			code, out, errOut, dir := profileInDir(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !strings.Contains(out, c.title) {
				t.Errorf("no %q in the console:\n%s", c.title, out)
			}
			if warned := strings.Contains(errOut, "streaming is not supported for --endpoint-type "+c.endpoint); warned == c.tokens {
				t.Errorf("streaming warning %v for %s: %s", warned, c.endpoint, errOut)
			}
			js := readJSON(t, filepath.Join(dir, report.JSONFile))
			if n := stat(t, js, "request_count", "avg"); n != 4 {
				t.Errorf("request_count %v, want 4", n)
			}
			if _, ok := js["request_latency"]; !ok {
				t.Error("no request_latency")
			}
			for _, tag := range []string{"input_sequence_length", "output_sequence_length"} {
				if _, ok := js[tag]; ok != c.tokens {
					t.Errorf("%s present = %v, want %v", tag, ok, c.tokens)
				}
			}
			p := strings.TrimSpace(string(firstPayload(t, dir)))
			if !strings.HasPrefix(strings.TrimLeft(strings.TrimPrefix(p, "{"), " \n"), `"`+c.firstKey+`"`) {
				t.Errorf("first payload %s does not start with %q", p[:min(len(p), 80)], c.firstKey)
			}
		})
	}
}

// vllm_generate and sglang_generate end to end: an input file's token ids go
// to the mock (vllm_generate's to /inference/v1/generate as AIPerf's payload;
// sglang_generate's to /generate, shared with TGI, as input_ids, streamed);
// ISL is their count and OSL the server's completion tokens.
func TestProfileTokenIDEndpoints(t *testing.T) {
	for _, c := range []struct {
		endpoint, lines string
		args, console   []string
	}{
		{"vllm_generate", `{"extra": {"token_ids": [1, 2, 3, 4, 5]}, "output_length": 6}` + "\n" + `{"extra": {"token_ids": [7, 8, 9]}, "output_length": 6}` + "\n",
			nil, []string{"NVIDIA AIPerf | LLM Metrics"}},
		{"sglang_generate", `{"token_ids": [1, 2, 3, 4, 5], "output_length": 6}` + "\n" + `{"token_ids": [7, 8, 9], "output_length": 6}` + "\n",
			[]string{"--streaming"}, []string{"NVIDIA AIPerf | LLM Metrics", "Time to First Token"}},
	} {
		t.Run(c.endpoint, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "ids.jsonl")
			if err := os.WriteFile(file, []byte(c.lines), 0o600); err != nil {
				t.Fatal(err)
			}
			out, dir := profileOK(t, append([]string{"--mock", "--model", "m", "--endpoint-type", c.endpoint,
				"--input-file", file, "--custom-dataset-type", "single_turn", "--request-count", "2"}, c.args...)...)
			for _, want := range c.console {
				if !strings.Contains(out, want) {
					t.Errorf("no %q in the console:\n%s", want, out)
				}
			}
			js := readJSON(t, filepath.Join(dir, report.JSONFile))
			for tag, want := range map[string]float64{"input_sequence_length": 4, "output_sequence_length": 6, "request_count": 2} {
				if got := stat(t, js, tag, "avg"); got != want {
					t.Errorf("%s avg %v, want %v", tag, got, want)
				}
			}
		})
	}
}
