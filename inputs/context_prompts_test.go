package inputs

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// messagesOf returns each message of a chat body as role and text.
func messagesOf(t *testing.T, b Body) (roles, texts []string) {
	t.Helper()
	for _, m := range decode(t, b).Messages {
		var s string
		if err := json.Unmarshal(m.Content, &s); err != nil {
			t.Fatalf("content %s is not one string", m.Content)
		}
		roles, texts = append(roles, m.Role), append(texts, s)
	}
	return roles, texts
}

// The shared system prompt is one for every request; the user context prompt
// is one per conversation; both come first in every turn, as AIPerf's chat
// endpoint sends them, and neither counts in the turn's ISL.
func TestContextPrompts(t *testing.T) {
	d := build(t, 9, "-m", "x", "--isl", "5", "--num-dataset-entries", "3", "--conversation-turn-mean", "2",
		"--shared-system-prompt-length", "4", "--user-context-prompt-length", "3")
	system, contexts := "", map[string]bool{}
	for _, c := range d.Conversations {
		context := ""
		for k, tr := range c.Turns {
			roles, texts := messagesOf(t, tr.Body)
			if strings.Join(roles, ",") != "system,user,user"+strings.Repeat(",user", k) {
				t.Fatalf("turn %d roles %v", k, roles)
			}
			if system == "" {
				system = texts[0]
			}
			if context == "" {
				context = texts[1]
			}
			if texts[0] != system || texts[1] != context || len(strings.Fields(system)) != 4 || len(strings.Fields(context)) != 3 {
				t.Fatalf("turn %d: system %q, context %q", k, texts[0], texts[1])
			}
			if tr.InputTokens != 5 {
				t.Fatalf("turn %d: ISL %d, want the turn's own 5", k, tr.InputTokens)
			}
		}
		contexts[context] = true
	}
	if len(contexts) != 3 {
		t.Fatalf("%d distinct user contexts for 3 conversations", len(contexts))
	}
}

func TestSyntheticOnlySettings(t *testing.T) {
	wantRefusals(t, []string{"-m", "x"}, []refusal{
		{[]string{"--input-file", "testdata/single_turn.jsonl", "--shared-system-prompt-length", "5"}, "--shared-system-prompt-length"},
		{[]string{"--input-file", "testdata/single_turn.jsonl", "--seq-dist", "5,5:100"}, "--seq-dist"},
		{[]string{"--audio-length-mean", "1", "--endpoint-type", "audio_transcription", "--user-context-prompt-length", "5"}, "--user-context-prompt-length"},
		{[]string{"--seq-dist", "5,5:90"}, "--seq-dist (AIPERF_SEQ_DIST): the percentages must sum to 100, got 90"},
	})
}

// --synthetic-input-tokens-block-size sets the tokens per hash id of a trace:
// at 16, a shared hash id is a shared 16-token block, and a line must fit
// its hash ids at that size.
func TestTraceBlockSize(t *testing.T) {
	p := filepath.Join(t.TempDir(), "trace.jsonl")
	if err := os.WriteFile(p, []byte(`{"input_length": 40, "hash_ids": [1, 2, 3]}`+"\n"+`{"input_length": 20, "hash_ids": [1, 4]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := loadArgs(t, p, "mooncake_trace", "--isl-block-size", "16")
	a := strings.Fields(parts(t, decode(t, d.Conversations[0].Turns[0].Body))[0].Text)
	b := strings.Fields(parts(t, decode(t, d.Conversations[1].Turns[0].Body))[0].Text)
	if len(a) != 40 || len(b) != 20 || strings.Join(a[:16], " ") != strings.Join(b[:16], " ") || a[16] == b[16] {
		t.Fatalf("hash id 1 is not a shared 16-token block: %d/%d words", len(a), len(b))
	}
	wantBuildError(t, "does not fit 3 hash_ids of 512 tokens", "-m", "x", "--input-file", p)
}
