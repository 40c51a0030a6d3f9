package inputs

import (
	"encoding/json"
	"math/rand"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/accuracy"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// BuildProblems sends each problem's messages in order with its max tokens,
// --extra-inputs merged, and counts every message in the ISL.
func TestBuildProblems(t *testing.T) {
	o := opts(t, "-m", "m", "--extra-inputs", "temperature:0")
	p := accuracy.Problem{Task: "anatomy", Gold: " A", MaxTokens: 5, Messages: []accuracy.Message{
		{Role: "system", Content: "Be brief."}, {Role: "user", Content: "Question: one?\nAnswer:"},
		{Role: "assistant", Content: " A"}, {Role: "user", Content: "Question: two?\nAnswer:"}}}
	d, err := BuildProblems(o, tokens.Words{}, rand.New(rand.NewSource(1)), []accuracy.Problem{p})
	if err != nil {
		t.Fatal(err)
	}
	turn := d.Conversations[0].Turns[0]
	var body struct {
		Messages []struct{ Role, Content string }
		Model    string
		Max      int     `json:"max_completion_tokens"`
		Temp     float64 `json:"temperature"`
	}
	if err := json.Unmarshal(turn.Body.Bytes(), &body); err != nil {
		t.Fatalf("%v: %s", err, turn.Body.Bytes())
	}
	if len(body.Messages) != 4 || body.Messages[0].Role != "system" || body.Messages[2].Content != " A" ||
		body.Messages[3].Content != "Question: two?\nAnswer:" || body.Max != 5 || body.Model != "m" {
		t.Errorf("body %s", turn.Body.Bytes())
	}
	if turn.Problem == nil || turn.Problem.Gold != " A" {
		t.Errorf("turn problem %+v", turn.Problem)
	}
	if turn.InputTokens != 9 { // "Be brief." 2 + "Question: one? Answer:" 3 + "A" 1 + 3
		t.Errorf("ISL %d, want 9", turn.InputTokens)
	}
	o.EndpointType = EndpointTranscription
	if _, err := BuildProblems(o, nil, rand.New(rand.NewSource(1)), []accuracy.Problem{p}); err == nil {
		t.Error("accuracy problems built as transcription forms")
	}
	// A text-only endpoint cannot carry the few shots: refused, not dropped.
	o.EndpointType = EndpointCompletions
	if _, err := BuildProblems(o, tokens.Words{}, rand.New(rand.NewSource(1)), []accuracy.Problem{p}); err == nil || !strings.Contains(err.Error(), "one turn per request") {
		t.Errorf("few shots to completions: %v", err)
	}
}
