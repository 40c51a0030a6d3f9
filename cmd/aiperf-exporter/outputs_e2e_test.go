package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
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
		data, warmup := testkit.JSONAt[[]any](t, out, "data"), testkit.JSONAt[[]any](t, out, "warmup")
		if out["schema_version"] != "1.1" || len(data) != 3 || len(warmup) != 1 {
			t.Fatalf("outputs.json: %d data, %d warmup: %v", len(data), len(warmup), out)
		}
		for _, e := range data {
			text, count := testkit.JSONAt[string](t, e, "response_text"), testkit.JSONAt[float64](t, e, "metrics", "output_token_count")
			if words := len(strings.Fields(text)); words == 0 || float64(words) != count {
				t.Errorf("response_text of %d words, output_token_count %g (the mock run counts words)", words, count)
			}
		}
		if jsonl := testkit.ReadFile(t, filepath.Join(dir, "profile_export.jsonl")); strings.Contains(string(jsonl), "response_text") {
			t.Error("profile_export.jsonl carries the text too")
		}
	}
}
