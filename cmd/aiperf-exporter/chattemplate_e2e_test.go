package main

import (
	"encoding/json"
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

// A hostile or failing chat template (it can come from any Hub repo) is the
// one no-template warning naming the cause, and the bare text is counted: at
// load when it fails on the one-message probe, after the dataset is built
// when it passes a limit only on one of its conversations. Nothing hangs or
// crashes.
func TestApplyChatTemplateHostileEndToEnd(t *testing.T) {
	file := filepath.Join(t.TempDir(), "one.jsonl")
	testkit.WriteFile(t, filepath.Dir(file), "one.jsonl", `{"text":"What is the capital of France?"}`+"\n")
	for _, c := range []struct{ template, why string }{
		{`{% for i in range(1000000000) %}x{% endfor %}`, "a list of more than"},
		{`{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}`, "macro calls nested more than"},
		{`{{ "x" * 2000000000 }}`, "a string of more than"},
		{`{{ nothing.at.all() }}`, "not callable"},
	} {
		tok := templatedTokenizer(t)
		cfg, _ := json.Marshal(map[string]string{"chat_template": c.template})
		testkit.WriteFile(t, tok, "tokenizer_config.json", string(cfg))
		code, _, errOut, out := profileInDir(t, "--mock", "--model", "m", "--tokenizer", tok, "--apply-chat-template", "--input-file", file, "--request-count", "1", "--no-server-metrics")
		if code != 0 || strings.Count(errOut, "--apply-chat-template") != 1 || !strings.Contains(errOut, c.why) || !strings.Contains(errOut, "counted without a chat template") {
			t.Errorf("%s: exit %d, stderr %q; want one warning with %q", c.template, code, errOut, c.why)
			continue
		}
		h, err := tokens.LoadHF(filepath.Join(tok, "tokenizer.json"))
		if err != nil {
			t.Fatal(err)
		}
		if recs := readJSONL(t, out); len(recs) != 1 || recs[0].Record.InputTokens != h.Count("What is the capital of France?") {
			t.Errorf("%s: records %+v, want one counting the bare text", c.template, recs)
		}
	}
	// The template's own error on one conversation costs that conversation
	// its template, and switches nothing off: no warning.
	tok := templatedTokenizer(t)
	cfg, _ := json.Marshal(map[string]string{"chat_template": `{% if "France" in messages[0].content %}{{ raise_exception("no France") }}{% endif %}{{ messages[0].content }}`})
	testkit.WriteFile(t, tok, "tokenizer_config.json", string(cfg))
	code, _, errOut, out := profileInDir(t, "--mock", "--model", "m", "--tokenizer", tok, "--apply-chat-template", "--input-file", file, "--request-count", "1", "--no-server-metrics")
	h, err := tokens.LoadHF(filepath.Join(tok, "tokenizer.json"))
	if err != nil {
		t.Fatal(err)
	}
	if recs := readJSONL(t, out); code != 0 || strings.Contains(errOut, "--apply-chat-template") || len(recs) != 1 || recs[0].Record.InputTokens != h.Count("What is the capital of France?") {
		t.Errorf("raise_exception on one conversation: exit %d, stderr %q, records %+v; want no warning and the bare text counted", code, errOut, recs)
	}
}
