package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/report"
)

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
	}
	for _, c := range cases {
		t.Run(c.endpoint, func(t *testing.T) {
			code, out, errOut, dir := profileInDir(t, "--mock", "--model", "m", "--endpoint-type", c.endpoint, "--streaming",
				"--isl", "8", "--osl", "4", "--request-count", "4", "--concurrency", "2")
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
			if n, _ := js["request_count"].(map[string]any)["avg"].(float64); n != 4 {
				t.Errorf("request_count %v, want 4", js["request_count"])
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
