package tokens

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/ardanlabs/jinja"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
)

// ChatTemplate is a model's chat template, the Jinja template of its
// tokenizer_config.json, rendered as Hugging Face transformers'
// apply_chat_template renders it (trim_blocks and lstrip_blocks, the
// tokenizer's special tokens as variables, tools and documents none).
// AIPerf's --apply-chat-template counts a chat request's input tokens over
// this text. It is safe for concurrent use.
//
// The template is untrusted (any Hub repo may ship one): a render is bounded
// in evaluation steps, macro call depth and string and list sizes
// (third_party/jinja's RenderLimited), and stops when the run's context ends.
type ChatTemplate struct {
	tmpl *jinja.Template
	vars map[string]any  // bos_token, eos_token, ... as the config names them
	ctx  context.Context // the run's (withChatTemplate); nil: never ends

	mu      sync.Mutex
	failure error // the first failed render of CountChat: the template is not used after it
}

// renderLimits bound one render. The real templates of tokens/testdata take
// some hundreds of steps a message, a call depth of 1 or 2 (bench_test.go's
// BenchmarkRenderSteps): a million steps is some thousands of messages, and
// some tenths of a second.
var renderLimits = jinja.Limits{Steps: 1 << 20, Depth: 100}

// ChatMessage is one message as AIPerf hands it to the template: its role and
// its text parts joined (media parts left out).
type ChatMessage struct {
	Role, Content string
}

// maxConfigBytes bounds a tokenizer_config.json or chat_template.jinja (the
// largest hold tens of thousands of added tokens: a few megabytes).
const maxConfigBytes = 64 << 20

// LoadChatTemplate reads the chat template of the tokenizer at path (a
// tokenizer.json, or the directory holding it): chat_template.jinja beside it
// when present, as transformers prefers it, else tokenizer_config.json's
// chat_template (a string, or a list whose "default" entry is used). A
// tokenizer with no template gives ErrNoChatTemplate.
func LoadChatTemplate(path string) (*ChatTemplate, error) {
	dir := path
	if st, err := os.Stat(path); err != nil || !st.IsDir() {
		dir = filepath.Dir(path)
	}
	cfgPath := filepath.Join(dir, "tokenizer_config.json")
	var cfg map[string]json.RawMessage
	raw, err := boundedfile.Read(cfgPath, maxConfigBytes)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("%s: %w", cfgPath, err)
	default:
		if err := json.Unmarshal(raw, &cfg); err != nil {
			return nil, fmt.Errorf("%s: not a JSON object: %v", cfgPath, err)
		}
	}
	src, err := templateSource(dir, cfg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfgPath, err)
	}
	return NewChatTemplate(src, cfg)
}

// ErrNoChatTemplate is returned for a tokenizer without a chat template.
var ErrNoChatTemplate = errors.New("no chat template (tokenizer_config.json has no chat_template and there is no chat_template.jinja)")

// templateSource is chat_template.jinja in dir, else the config's chat_template.
func templateSource(dir string, cfg map[string]json.RawMessage) (string, error) {
	if raw, err := boundedfile.Read(filepath.Join(dir, "chat_template.jinja"), maxConfigBytes); err == nil {
		return string(raw), nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	field, ok := cfg["chat_template"]
	if !ok || string(field) == "null" {
		return "", ErrNoChatTemplate
	}
	var s string
	if json.Unmarshal(field, &s) == nil {
		return s, nil
	}
	var named []struct{ Name, Template string }
	if err := json.Unmarshal(field, &named); err != nil {
		return "", errors.New("chat_template is neither a string nor a list of {name, template}")
	}
	for _, n := range named {
		if n.Name == "default" {
			return n.Template, nil
		}
	}
	return "", errors.New("chat_template lists no \"default\" template")
}

// specialTokens are the tokenizer_config.json keys transformers passes to the
// template (its special_tokens_map).
var specialTokens = []string{"bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"}

// NewChatTemplate compiles src with the special tokens of cfg (a parsed
// tokenizer_config.json; nil for none).
func NewChatTemplate(src string, cfg map[string]json.RawMessage) (*ChatTemplate, error) {
	tmpl, err := jinja.Compile(src)
	if err != nil {
		return nil, fmt.Errorf("chat template: %w", err)
	}
	vars := map[string]any{}
	for _, k := range specialTokens {
		if s, ok := tokenContent(cfg[k]); ok {
			vars[k] = s
		}
	}
	var extra []json.RawMessage
	if json.Unmarshal(cfg["additional_special_tokens"], &extra) == nil && len(extra) > 0 {
		list := make([]any, 0, len(extra))
		for _, e := range extra {
			if s, ok := tokenContent(e); ok {
				list = append(list, s)
			}
		}
		vars["additional_special_tokens"] = list
	}
	return &ChatTemplate{tmpl: tmpl, vars: vars}, nil
}

// tokenContent reads a special token: a string, or an AddedToken object's
// content; null or absent is no token.
func tokenContent(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var obj struct{ Content *string }
	if json.Unmarshal(raw, &obj) == nil && obj.Content != nil {
		return *obj.Content, true
	}
	return "", false
}

// Render renders msgs as apply_chat_template(msgs, tokenize=False,
// add_generation_prompt=addGenerationPrompt) does.
func (c *ChatTemplate) Render(msgs []ChatMessage, addGenerationPrompt bool) (string, error) {
	data := make(map[string]any, len(c.vars)+4)
	for k, v := range c.vars {
		data[k] = v
	}
	data["messages"] = chatList(msgs)
	data["add_generation_prompt"] = addGenerationPrompt
	data["tools"] = nil
	data["documents"] = nil
	ctx := c.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	out, err := renderRecovered(ctx, c.tmpl, data)
	if err != nil {
		return "", fmt.Errorf("chat template: %w", err)
	}
	return out, nil
}

// chatList is msgs as the template's messages variable.
func chatList(msgs []ChatMessage) []any {
	list := make([]any, len(msgs))
	for i, m := range msgs {
		list[i] = map[string]any{"role": m.Role, "content": m.Content}
	}
	return list
}

// errRenderPanic is wrapped by the error of a render the engine panicked on.
var errRenderPanic = errors.New("render failed")

// renderRecovered renders within renderLimits; a panic of the engine on a
// template it did not foresee is an error, not a crash.
func renderRecovered(ctx context.Context, tmpl *jinja.Template, data map[string]any) (out string, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = "", fmt.Errorf("%w: %v", errRenderPanic, p)
		}
	}()
	return tmpl.RenderLimited(ctx, data, renderLimits)
}

// fail records the first failed render; later CountChat calls count nothing.
func (c *ChatTemplate) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.failure == nil {
		c.failure = err
	}
}

// ctxErr is the error of the run's context, nil while it goes on.
func (c *ChatTemplate) ctxErr() error {
	if c.ctx == nil {
		return nil
	}
	return c.ctx.Err()
}

// failed is the first failed render, nil while none has failed.
func (c *ChatTemplate) failed() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.failure
}

// ChatCounter is a Counter that can also count a chat request as AIPerf's
// --apply-chat-template does.
type ChatCounter interface {
	Counter
	// CountChat counts the tokens of msgs rendered through the chat template
	// with the generation prompt; ok is false when there is no template or it
	// fails to render (AIPerf then counts the bare text).
	CountChat(msgs []ChatMessage) (n int, ok bool)
	// ChatWarning is the one-line warning once a render has gone past a
	// limit or broken the engine (from then on CountChat counts nothing),
	// "" while none has; a template's own error only fails that render.
	ChatWarning() string
}

// SetChatTemplate makes CountChat count through t; call it before the
// counter is shared.
func (h *HF) SetChatTemplate(t *ChatTemplate) { h.chat = t }

// CountChat counts msgs rendered through the chat template, generation prompt
// added, encoded without the post-processor's special tokens: the length of
// apply_chat_template(msgs, tokenize=True, add_generation_prompt=True).
func (h *HF) CountChat(msgs []ChatMessage) (int, bool) {
	if h.chat == nil || len(msgs) == 0 {
		return 0, false
	}
	if h.chat.failed() != nil {
		return 0, false
	}
	text, err := h.chat.Render(msgs, true)
	if err != nil {
		// Only a template that went past a limit or broke the engine is
		// switched off; its own error on one conversation (raise_exception)
		// or the run's end costs only that conversation its template.
		if h.chat.ctxErr() == nil && (errors.Is(err, jinja.ErrLimit) || errors.Is(err, errRenderPanic)) {
			h.chat.fail(err)
		}
		return 0, false
	}
	return h.Count(text), true
}

// ChatWarning says why CountChat stopped counting through the template.
func (h *HF) ChatWarning() string {
	if h.chat == nil || h.chat.failed() == nil {
		return ""
	}
	return noChatTemplate(Source{ChatTemplate: true}, oneLine(h.chat.failed().Error()))
}

// probeChat is the conversation a template is tried on when it is loaded
// (AIPerf's first chat-template probe text).
var probeChat = []ChatMessage{{Role: "user", Content: "Hello, how are you today?"}}

// withChatTemplate attaches the chat template of the tokenizer at path to h
// when src asks for it, its renders stopped when ctx ends; the warning says
// why it could not (AIPerf then counts the bare text, as here). A template
// that parses but fails to render a one-message conversation (an error, a
// limit) is not attached, as one that does not parse.
func withChatTemplate(ctx context.Context, h *HF, src Source, path string, fetchErr error) string {
	if !src.ChatTemplate {
		return ""
	}
	t, err := LoadChatTemplate(path)
	if err != nil && fetchErr != nil { // why it is missing: the download, not the files
		return noChatTemplate(src, fetchErr.Error())
	}
	if err != nil {
		return noChatTemplate(src, err.Error())
	}
	t.ctx = ctx
	if _, err := t.Render(probeChat, true); err != nil {
		if ctx.Err() != nil {
			return "" // the run is ending: the template is not at fault
		}
		return noChatTemplate(src, oneLine(err.Error()))
	}
	h.SetChatTemplate(t)
	return ""
}

// noChatTemplate is the warning of --apply-chat-template without a template.
func noChatTemplate(src Source, why string) string {
	if !src.ChatTemplate {
		return ""
	}
	return "--apply-chat-template: " + why + "; input tokens are counted without a chat template"
}

func joinWarnings(a, b string) string {
	if a == "" || b == "" {
		return a + b
	}
	return a + "; " + b
}
