package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// templatedTokenizer is a tokenizer directory as the Hub has it: the Qwen2
// test tokenizer.json with the real Qwen3 tokenizer_config.json beside it.
func templatedTokenizer(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for src, name := range map[string]string{
		"../../tokens/testdata/qwen2/tokenizer.json":                     "tokenizer.json",
		"../../tokens/testdata/chattemplate/qwen3/tokenizer_config.json": "tokenizer_config.json",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), testkit.ReadFile(t, src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// profile --mock --apply-chat-template: the records' ISL is the templated
// count of the body sent (system prompt and turn, generation prompt), and
// synthetic prompts are drawn shorter so it stays near --isl; without a
// template the run goes on, counting the bare text, and says so.
func TestApplyChatTemplateEndToEnd(t *testing.T) {
	tok := templatedTokenizer(t)
	h, err := tokens.LoadHF(filepath.Join(tok, "tokenizer.json"))
	if err != nil {
		t.Fatal(err)
	}
	ct, err := tokens.LoadChatTemplate(tok)
	if err != nil {
		t.Fatal(err)
	}
	h.SetChatTemplate(ct)
	file := filepath.Join(t.TempDir(), "one.jsonl")
	if err := os.WriteFile(file, []byte(`{"text":"What is the capital of France?"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want, _ := h.CountChat([]tokens.ChatMessage{{Role: "user", Content: "What is the capital of France?"}})
	bare := h.Count("What is the capital of France?")
	for _, c := range []struct {
		args   []string
		lo, hi int
	}{
		{[]string{"--input-file", file, "--request-count", "3"}, want, want},
		{[]string{"--isl", "40", "--request-count", "4"}, 38, 42},
	} {
		args := append([]string{"--mock", "--model", "m", "--tokenizer", tok, "--apply-chat-template", "--streaming"}, c.args...)
		code, _, errOut, out := profileInDir(t, args...)
		if code != 0 || strings.Contains(errOut, "apply-chat-template") {
			t.Fatalf("%v: exit %d: %s", c.args, code, errOut)
		}
		for _, r := range readJSONL(t, out) {
			if r.Error != nil || r.Record.InputTokens < c.lo || r.Record.InputTokens > c.hi {
				t.Errorf("%v: ISL %d (error %v), want %d..%d (bare text: %d)", c.args, r.Record.InputTokens, r.Error, c.lo, c.hi, bare)
			}
		}
		if tk := inputConfigAt(t, out, "tokenizer"); tk["apply_chat_template"] != true {
			t.Errorf("%v: input_config.tokenizer %v, want apply_chat_template true", c.args, tk)
		}
	}
	code, _, errOut, out := profileInDir(t, "--mock", "--model", "m", "--apply-chat-template", "--input-file", file, "--request-count", "1")
	if code != 0 || !strings.Contains(errOut, "--apply-chat-template: no Hugging Face tokenizer") {
		t.Fatalf("no tokenizer: exit %d, stderr %q", code, errOut)
	}
	if recs := readJSONL(t, out); len(recs) != 1 || recs[0].Record.InputTokens != 6 {
		t.Fatalf("no tokenizer: records %+v, want one counting the 6 words", recs)
	}
}
