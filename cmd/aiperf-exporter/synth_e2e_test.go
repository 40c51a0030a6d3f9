package main

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// turnRecord is the part of a profile_export.jsonl line the multi-turn test reads.
type turnRecord struct {
	Metadata struct {
		RequestID  string `json:"x_request_id"`
		SessionNum int    `json:"session_num"`
		TurnIndex  int    `json:"turn_index"`
	} `json:"metadata"`
	Error any `json:"error"`
}

// Synthetic multi-turn end to end: the mock receives turn k with the k earlier
// user messages (its prompt grows by one turn's words each time), each later
// turn arrives at least the turn delay after the previous answer ended, and
// inputs.json shows every conversation's turns as AIPerf's does.
func TestSyntheticMultiTurnAgainstMock(t *testing.T) {
	const isl, delay = 5, 150 * time.Millisecond
	m, _, dir := profileMock(t, "--model", "m", "--streaming", "--concurrency", "2",
		"--isl", "5", "--num-dataset-entries", "2", "--request-count", "6", "--random-seed", "3",
		"--conversation-turn-mean", "3", "--conversation-turn-delay-mean", "75", "--conversation-turn-delay-ratio", "2")
	type key struct{ session, turn int }
	seen := map[key]string{} // request id of each session's turn
	for _, r := range readJSONLAs[turnRecord](t, dir) {
		if r.Error != nil {
			t.Fatalf("request failed: %v", r.Error)
		}
		seen[key{r.Metadata.SessionNum, r.Metadata.TurnIndex}] = r.Metadata.RequestID
	}
	if len(seen) != 6 {
		t.Fatalf("%d records, want 6", len(seen))
	}
	later := 0
	for k, id := range seen {
		tr, ok := m.Server.Truth(id)
		if !ok {
			t.Fatalf("the mock never saw %s", id)
		}
		if want := isl * (k.turn + 1); tr.PromptTokens != want {
			t.Errorf("session %d turn %d: the mock counted %d prompt words, want %d", k.session, k.turn, tr.PromptTokens, want)
		}
		if k.turn == 0 {
			continue
		}
		prev, ok := m.Server.Truth(seen[key{k.session, k.turn - 1}])
		if !ok {
			t.Fatalf("session %d: turn %d sent without turn %d", k.session, k.turn, k.turn-1)
		}
		if gap := time.Duration(tr.ArrivalNs - prev.EndNs); gap < delay {
			t.Errorf("session %d turn %d arrived %v after the previous answer, want at least %v", k.session, k.turn, gap, delay)
		}
		later++
	}
	if later != 4 {
		t.Fatalf("%d later turns, want 4 (2 conversations of 3)", later)
	}

	turn := testkit.JSONAt[map[string]any](t, readJSON(t, filepath.Join(dir, report.JSONFile)), "input_config", "input", "conversation", "turn")
	if d := testkit.JSONAt[map[string]any](t, turn, "delay"); turn["mean"] != 3.0 || d["mean"] != 75.0 || d["ratio"] != 2.0 || turn["stddev"] != nil {
		t.Errorf("input_config conversation %v, want the turn settings given", turn)
	}

	inputs := testkit.ReadJSON[struct {
		Data []struct {
			SessionID string `json:"session_id"`
			Payloads  []struct {
				Messages []struct {
					Role    string `json:"role"`
					Content string `json:"content"`
				} `json:"messages"`
			} `json:"payloads"`
		} `json:"data"`
	}](t, filepath.Join(dir, report.InputsFile))
	if len(inputs.Data) != 2 {
		t.Fatalf("inputs.json has %d conversations, want 2", len(inputs.Data))
	}
	for _, c := range inputs.Data {
		if len(c.Payloads) != 3 {
			t.Fatalf("%s: %d payloads, want 3", c.SessionID, len(c.Payloads))
		}
		last := c.Payloads[2].Messages
		for k, p := range c.Payloads {
			if len(p.Messages) != k+1 {
				t.Fatalf("%s payload %d: %d messages, want %d", c.SessionID, k, len(p.Messages), k+1)
			}
			for j, msg := range p.Messages {
				if msg.Role != "user" || msg.Content != last[j].Content {
					t.Fatalf("%s payload %d message %d is not the conversation's turn %d", c.SessionID, k, j, j)
				}
			}
		}
	}
}

// The context prompts and a --seq-dist pair reach the mock: every request
// carries the 4-word system prompt, the 3-word user context and the turn's
// 5 words, and asks for the pair's 2 output tokens.
func TestContextPromptsAndSeqDistAgainstMock(t *testing.T) {
	recs, truths, dir := profileMockRecords(t, 3, "--model", "m", "--streaming", "--request-count", "3",
		"--shared-system-prompt-length", "4", "--user-context-prompt-length", "3", "--seq-dist", "5,2:100")
	doc := readJSON(t, filepath.Join(dir, report.JSONFile))
	if got := testkit.JSONAt[any](t, doc, "input_config", "input", "prompt", "sequence_distribution"); got != "5,2:100" {
		t.Errorf("input_config prompt.sequence_distribution %v", got)
	}
	for i, r := range recs {
		if tr := truths[i]; tr.PromptTokens != 4+3+5 || tr.CompletionTokens != 2 || r.Record.InputTokens != 5 {
			t.Fatalf("mock saw %d prompt words and answered %d tokens; ISL %d", tr.PromptTokens, tr.CompletionTokens, r.Record.InputTokens)
		}
	}
}
