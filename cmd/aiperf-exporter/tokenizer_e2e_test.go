package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
)

// TestProfileTokenizerFromHub: a --tokenizer repo id is fetched from the Hub
// (a fake one, HF_ENDPOINT) into HF_HOME and counts the tokens; with the Hub
// offline and nothing cached, one warning line and the word/usage fallback.
func TestProfileTokenizerFromHub(t *testing.T) {
	raw, err := os.ReadFile("../../tokens/testdata/qwen2/tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := hubtest.New(t, map[string][]byte{"Qwen/Tiny/tokenizer.json": raw})
	home := t.TempDir()
	t.Setenv("HF_ENDPOINT", endpoint)
	t.Setenv("HF_HOME", home)
	t.Setenv("HF_HUB_CACHE", "")
	t.Setenv("HF_TOKEN", "")
	t.Setenv("HF_HUB_OFFLINE", "0")
	args := []string{"--mock", "--model", "m", "--tokenizer", "Qwen/Tiny", "--tokenizer-trust-remote-code",
		"--request-count", "2", "--synthetic-input-tokens-mean", "20"}
	code, _, stderr, dir := profileInDir(t, args...)
	if code != 0 || strings.Contains(stderr, "warning") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	jsonl, _ := os.ReadFile(filepath.Join(dir, "profile_export.jsonl"))
	if !strings.Contains(string(jsonl), `"token_source":"tokenizer:Qwen/Tiny"`) {
		t.Errorf("records not counted by the Hub's tokenizer: %.400s", jsonl)
	}
	if _, err := os.Stat(filepath.Join(home, "hub", "models--Qwen--Tiny", "refs", "main")); err != nil {
		t.Errorf("not in the Hub cache layout under HF_HOME: %v", err)
	}

	t.Setenv("HF_HOME", t.TempDir()) // empty cache
	t.Setenv("HF_HUB_OFFLINE", "1")
	code, _, stderr, dir = profileInDir(t, args...)
	if code != 0 || strings.Count(stderr, "warning:") != 1 || !strings.Contains(stderr, "Qwen/Tiny") {
		t.Fatalf("offline, not cached: exit %d, want 0 and one warning line; stderr:\n%s", code, stderr)
	}
	jsonl, _ = os.ReadFile(filepath.Join(dir, "profile_export.jsonl"))
	if strings.Contains(string(jsonl), `"token_source":"tokenizer:`) {
		t.Errorf("offline without the file, records still claim the tokenizer")
	}
}
