package publicdata

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
)

// Prompt is one turn of a text or vision dataset: its prompt, the output
// length the dataset asks (0: none, the run's --osl applies), its image
// (nil: none; as stored, PNG or JPEG) and its video URL.
type Prompt struct {
	Text      string
	MaxTokens int
	Image     []byte
	Video     string // a video URL (MMVU), or ""
}

// Entry is one conversation of a text or vision dataset, its turns in order.
type Entry struct {
	ID    string // the dataset's own session id (SPEED-Bench's question_id), or ""
	Turns []Prompt
}

// Lengths are AIPerf's sequence-length filter (is_valid_sequence, taken from
// vLLM's benchmark_dataset.py): prompt and completion at least 4 tokens, the
// prompt at most 1024, both at most 2048.
const (
	minSeqTokens    = 4
	maxPromptTokens = 1024
	maxTotalTokens  = 2048
)

// validSequence is AIPerf's is_valid_sequence; the completion's minimum is
// skipped when the run sets an output length.
func validSequence(prompt, output int, skipMinOutput bool) bool {
	return prompt >= minSeqTokens && prompt <= maxPromptTokens &&
		(skipMinOutput || output >= minSeqTokens) && prompt+output <= maxTotalTokens
}

// shareGPTMessage is one message of a ShareGPT conversation; a value that is
// not a string is no text.
type shareGPTMessage struct {
	From  string          `json:"from"`
	Value json.RawMessage `json:"value"`
}

func (m shareGPTMessage) text() string {
	var s string
	if json.Unmarshal(m.Value, &s) != nil {
		return ""
	}
	return s
}

// shareGPTPairs pairs prompts with completions as AIPerf does: with
// human/gpt roles every adjacent human then gpt pair is a turn; without roles
// the first two values are one pair. Pairs with an empty side are dropped.
func shareGPTPairs(msgs []shareGPTMessage) [][2]string {
	if len(msgs) < 2 {
		return nil
	}
	var roles []shareGPTMessage
	for _, m := range msgs {
		if m.From == "human" || m.From == "gpt" {
			roles = append(roles, m)
		}
	}
	if len(roles) == 0 {
		if p, c := msgs[0].text(), msgs[1].text(); p != "" && c != "" {
			return [][2]string{{p, c}}
		}
		return nil
	}
	var pairs [][2]string
	for i := 0; i < len(roles)-1; {
		if roles[i].From == "human" && roles[i+1].From == "gpt" {
			if p, c := roles[i].text(), roles[i+1].text(); p != "" && c != "" {
				pairs = append(pairs, [2]string{p, c})
			}
			i += 2
			continue
		}
		i++
	}
	return pairs
}

// Tokens counts a text's tokens, for the sequence-length filter.
type Tokens func(string) int

// readShareGPT reads up to max conversations (0: all) from the ShareGPT JSON
// file at path, one decoded entry at a time (the file is 670 MB). A
// conversation is kept when every pair passes the length filter; each turn
// asks for its completion's length, as AIPerf's ShareGPTLoader does.
func readShareGPT(path string, max int, count Tokens, skipMinOutput bool) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec := json.NewDecoder(f)
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return nil, fmt.Errorf("not a JSON array of conversations")
	}
	var out []Entry
	for index := 1; dec.More(); index++ {
		var row struct {
			Conversations []json.RawMessage `json:"conversations"`
		}
		if err := dec.Decode(&row); err != nil {
			if err == io.ErrUnexpectedEOF {
				return out, fmt.Errorf("entry %d: truncated", index)
			}
			return out, fmt.Errorf("entry %d: %w", index, err)
		}
		var msgs []shareGPTMessage
		for _, raw := range row.Conversations {
			var m shareGPTMessage
			if json.Unmarshal(raw, &m) == nil { // AIPerf keeps only the dict messages
				msgs = append(msgs, m)
			}
		}
		if e, ok := shareGPTEntry(shareGPTPairs(msgs), count, skipMinOutput); ok {
			out = append(out, e)
			if max > 0 && len(out) >= max {
				break
			}
		}
	}
	return out, nil
}

// shareGPTEntry makes the turns of pairs, or false when any pair fails the
// length filter (AIPerf drops the whole conversation).
func shareGPTEntry(pairs [][2]string, count Tokens, skipMinOutput bool) (Entry, bool) {
	if len(pairs) == 0 {
		return Entry{}, false
	}
	e := Entry{Turns: make([]Prompt, len(pairs))}
	for i, p := range pairs {
		in, out := count(p[0]), count(p[1])
		if !validSequence(in, out, skipMinOutput) {
			return Entry{}, false
		}
		e.Turns[i] = Prompt{Text: p[0], MaxTokens: out}
	}
	return e, true
}
