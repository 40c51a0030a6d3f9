package inputs

import (
	"encoding/json"
	"strings"
	"testing"
)

// Each target puts the marker where AIPerf's worker does, and the marked body
// stays valid JSON with every other message unchanged.
func TestCacheBustPlacement(t *testing.T) {
	const digest = "0123456789ab"
	const rid = "[rid:" + digest + "]"
	for _, c := range []struct {
		name string
		args []string
		msg  int  // message that carries the marker
		head bool // at its start
	}{
		{"system prefix", []string{"--shared-system-prompt-length", "3", "--cache-bust", "system_prefix"}, 0, true},
		{"system suffix, after the context", []string{"--shared-system-prompt-length", "3", "--user-context-prompt-length", "2", "--cache-bust", "system_suffix"}, 0, false},
		{"system falls back to the first turn", []string{"--cache-bust", "system_prefix"}, 0, true},
		{"first turn skips the user context", []string{"--user-context-prompt-length", "2", "--cache-bust", "first_turn_suffix"}, 1, false},
		{"first turn, in the history of turn 2", []string{"--conversation-turn-mean", "2", "--cache-bust", "first_turn_prefix"}, 0, true},
		{"a list content gets a text part", []string{"--audio-length-mean", "0.1", "--cache-bust", "first_turn_prefix"}, 0, true},
		{"a list content, at its end", []string{"--audio-length-mean", "0.1", "--cache-bust", "first_turn_suffix"}, 0, false},
	} {
		d := build(t, 1, append([]string{"-m", "x", "--isl", "3", "--num-dataset-entries", "2"}, c.args...)...)
		for _, conv := range d.Conversations {
			for k, tr := range conv.Turns {
				if tr.Bust == nil {
					t.Fatalf("%s: turn %d has no marker spot", c.name, k)
				}
				plain := decode(t, tr.Body)
				marked := decode(t, tr.Bust.WithMarker(tr.Body, digest))
				if len(marked.Messages) != len(plain.Messages) {
					t.Fatalf("%s: %d messages became %d", c.name, len(plain.Messages), len(marked.Messages))
				}
				for i := range plain.Messages {
					if i != c.msg && string(plain.Messages[i].Content) != string(marked.Messages[i].Content) {
						t.Fatalf("%s: message %d changed", c.name, i)
					}
				}
				var s string
				if json.Unmarshal(marked.Messages[c.msg].Content, &s) == nil {
					if c.head && !strings.HasPrefix(s, rid+"\n\n") || !c.head && !strings.HasSuffix(s, "\n\n"+rid) {
						t.Fatalf("%s: message %d is %q", c.name, c.msg, s)
					}
					continue
				}
				var ps []contentPart
				if err := json.Unmarshal(marked.Messages[c.msg].Content, &ps); err != nil {
					t.Fatal(err)
				}
				p := ps[len(ps)-1]
				if c.head {
					p = ps[0]
				}
				if want := map[bool]string{true: rid + "\n\n", false: "\n\n" + rid}[c.head]; p.Type != "text" || p.Text != want {
					t.Fatalf("%s: marker part %+v", c.name, p)
				}
			}
		}
	}
	// none marks nothing.
	if d := build(t, 1, "-m", "x", "--isl", "3", "--num-dataset-entries", "1"); d.Conversations[0].Turns[0].Bust != nil {
		t.Fatal("a spot without --cache-bust")
	}
}
