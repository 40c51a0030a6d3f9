package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --export-outputs-json writes the mock's answers to outputs.json, profiling
// ones under data and the warmup's under warmup; the text goes nowhere else.
// Without the flag there is no outputs.json.
func TestProfileOutputsJSON(t *testing.T) {
	for _, on := range []bool{false, true} {
		args := []string{"--mock", "--model", "m", "--request-count", "3", "--warmup-request-count", "1", "--streaming", "--no-server-metrics"}
		if on {
			args = append(args, "--export-outputs-json")
		}
		_, dir := profileOK(t, args...)
		path := filepath.Join(dir, "outputs.json")
		if !on {
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("outputs.json without the flag: %v", err)
			}
			continue
		}
		out := readJSON(t, path)
		data, _ := out["data"].([]any)
		warmup, _ := out["warmup"].([]any)
		if out["schema_version"] != "1.1" || len(data) != 3 || len(warmup) != 1 {
			t.Fatalf("outputs.json: %d data, %d warmup: %v", len(data), len(warmup), out)
		}
		for _, e := range data {
			m := e.(map[string]any)
			text, _ := m["response_text"].(string)
			count := m["metrics"].(map[string]any)["output_token_count"].(float64)
			if words := len(strings.Fields(text)); words == 0 || float64(words) != count {
				t.Errorf("response_text of %d words, output_token_count %g (the mock run counts words)", words, count)
			}
		}
		jsonl, err := os.ReadFile(filepath.Join(dir, "profile_export.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(jsonl), "response_text") {
			t.Error("profile_export.jsonl carries the text too")
		}
	}
}
