package inputs

import (
	"encoding/json"
	"math/rand"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// templated is the Qwen2 test tokenizer with the real Qwen3 chat template
// attached, as profile attaches it for --apply-chat-template.
func templated(t *testing.T) (*tokens.HF, *tokens.ChatTemplate) {
	t.Helper()
	h, err := tokens.LoadHF("../tokens/testdata/qwen2/tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	ct, err := tokens.LoadChatTemplate("../tokens/testdata/chattemplate/qwen3")
	if err != nil {
		t.Fatal(err)
	}
	h.SetChatTemplate(ct)
	return h, ct
}

func buildWith(t *testing.T, counter tokens.Counter, args ...string) *Dataset {
	t.Helper()
	d, err := Build(opts(t, args...), counter, rand.New(rand.NewSource(3)))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// bodyView is a chat body's messages as AIPerf hands them to the template:
// role, and the text parts joined.
func bodyView(t *testing.T, b Body) []tokens.ChatMessage { return bodyViewSep(t, b, "") }

// bodyViewSep is bodyView with the text parts joined by sep.
func bodyViewSep(t *testing.T, b Body, sep string) []tokens.ChatMessage {
	t.Helper()
	var out []tokens.ChatMessage
	for _, m := range decode(t, b).Messages {
		var s string
		if json.Unmarshal(m.Content, &s) != nil {
			var ps []contentPart
			if err := json.Unmarshal(m.Content, &ps); err != nil {
				t.Fatal(err)
			}
			var texts []string
			for _, p := range ps {
				if p.Type == "text" {
					texts = append(texts, p.Text)
				}
			}
			s = strings.Join(texts, sep)
		}
		out = append(out, tokens.ChatMessage{Role: m.Role, Content: s})
	}
	return out
}

// With a chat template, a chat turn's ISL is its whole body (the resent
// history included) rendered through the template with the
// generation prompt; without one, or on a text-only endpoint, it is the
// turn's own text.
func TestChatTemplateCountsTheBody(t *testing.T) {
	h, ct := templated(t)
	plain, _ := tokens.LoadHF("../tokens/testdata/qwen2/tokenizer.json")
	file := writeLines(t, `{"session_id":"s1","turns":[{"role":"system","text":"Be brief."},{"text":"Hello there."},{"text":"And again?"},{"texts":["Last one.","More"]}]}`,
		`{"turns":[{"text":"Only turn."}]}`)
	args := []string{"-m", "x", "--input-file", file}
	d := buildWith(t, h, args...)
	bare := buildWith(t, plain, args...)
	for i, tr := range d.Conversations[0].Turns {
		text, err := ct.Render(bodyView(t, tr.Body), true)
		if err != nil {
			t.Fatal(err)
		}
		if want := h.Count(text); tr.InputTokens != want || !strings.HasSuffix(text, "<|im_start|>assistant\n") {
			t.Errorf("turn %d: ISL %d, want %d, the tokens of\n%s", i+1, tr.InputTokens, want, text)
		}
		if b := bare.Conversations[0].Turns[i]; b.InputTokens >= tr.InputTokens || b.InputTokens != plain.Count(b.inputText(t)) {
			t.Errorf("turn %d: bare ISL %d (templated %d)", i+1, b.InputTokens, tr.InputTokens)
		}
	}
	comp := buildWith(t, h, "-m", "x", "--input-file", writeLines(t, `{"text":"Only turn."}`), "--endpoint-type", "completions")
	if got := comp.Conversations[0].Turns[0].InputTokens; got != h.Count("Only turn.") {
		t.Errorf("completions turn ISL %d, want the bare %d: AIPerf templates message arrays only", got, h.Count("Only turn."))
	}
}

// inputText is the turn's own text as the bare count reads it.
func (tr Turn) inputText(t *testing.T) string {
	v := bodyViewSep(t, tr.Body, " ") // as the bare count joins a turn's texts
	return v[len(v)-1].Content
}

// Synthetic prompts are drawn shorter by the template's overhead, so the
// templated ISL of a first turn is --isl, as AIPerf compensates it.
func TestSyntheticISLCompensatedForTheTemplate(t *testing.T) {
	h, _ := templated(t)
	fixed, wrap := templateOverheads(h)
	if fixed <= 0 || wrap <= 0 {
		t.Fatalf("overheads %d fixed, %d per message: the Qwen3 template adds both", fixed, wrap)
	}
	d := buildWith(t, h, "-m", "x", "--isl", "60", "--num-dataset-entries", "20")
	for _, c := range d.Conversations {
		tr := c.Turns[0]
		view := bodyView(t, tr.Body)
		prompt := h.Count(view[0].Content)
		overhead := tr.InputTokens - prompt // what the template added to this one
		// The prompt is drawn fixed+wrap shorter; AIPerf's wrap averages the
		// user and assistant headers, so a user-only request may land a
		// token or two off --isl.
		if prompt != 60-fixed-wrap || tr.InputTokens < 58 || tr.InputTokens > 62 {
			t.Errorf("prompt %d tokens, templated ISL %d (overhead %d); want the prompt 60-%d-%d and the ISL near 60", prompt, tr.InputTokens, overhead, fixed, wrap)
		}
	}
	if f, w := templateOverheads(tokens.Words{}); f != 0 || w != 0 {
		t.Errorf("without a template: overheads %d, %d", f, w)
	}
}
