package tokens

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// hostileTemplates parse but would hang, exhaust memory or overflow the stack
// when rendered without limits; why is what the render's error must say.
var hostileTemplates = []struct{ name, src, why string }{
	{"a billion outputs", `{% for i in range(1000000000) %}x{% endfor %}`, "a list of more than"},
	{"two billion empty iterations", `{% for i in range(2000000000) %}{% endfor %}`, "a list of more than"},
	{"nested 100000x100000 loop", `{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}`, "evaluation steps"},
	{"nested loops over a string", `{% set s = "x" * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}`, "evaluation steps"},
	{"self-calling macro", `{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}`, "macro calls nested more than"},
	{"macro called through its argument", `{% macro f(g) %}{{ g(g) }}{% endmacro %}{{ f(f) }}`, "macro calls nested more than"},
	{"string of two billion bytes", `{{ "x" * 2000000000 }}`, "a string of more than"},
	{"doubling string", `{% set ns = namespace(s="x") %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}`, "a string of more than"},
	{"list holding itself many times", `{% set ns = namespace(l=["x"]) %}{% for i in range(64) %}{% set ns.l = [ns.l, ns.l] %}{% endfor %}{{ ns.l }}`, "a string of more than"},
	{"replace into every gap", `{{ ("x" * 1000000)|replace("", "y" * 1000) }}`, "a string of more than"},
	{"huge indent", `{{ "a\nb"|indent(2000000000) }}`, "a string of more than"},
	{"deep parentheses", `{{ ` + strings.Repeat("(", 100000) + "1" + strings.Repeat(")", 100000) + ` }}`, "nested deeper than"},
	{"deep blocks", strings.Repeat("{% if true %}", 100000) + strings.Repeat("{% endif %}", 100000), "nested deeper than"},
	{"list holding itself", `{% set a = [] %}{% set _ = a.append(a) %}{{ a }}`, "nested more than"},
	{"list holding itself as JSON", `{% set a = [] %}{% set _ = a.append(a) %}{{ a|tojson }}`, "nested more than"},
	{"list holding itself joined", `{% set a = [] %}{% set _ = a.append(a) %}{{ a|join(",") }}`, "nested more than"},
	{"list holding itself compared", `{% set a = [] %}{% set _ = a.append(a) %}{{ a == [a] }}`, "nested more than"},
	{"dict holding itself", `{% set d = {} %}{% set _ = d.update({"x": d}) %}{{ d }}`, "nested more than"},
	{"dict holding itself as JSON", `{% set d = {} %}{% set _ = d.update({"x": d}) %}{{ d|tojson }}`, "nested more than"},
	{"list nested 200000 deep", `{% set ns = namespace(x=[]) %}{% for i in range(200000) %}{% set ns.x = [ns.x] %}{% endfor %}{{ ns.x }}`, "nested more than"},
	{"long filter chain", `{{ "x"` + strings.Repeat("|e", 1100000) + ` }}`, "nested deeper than"},
	{"long attribute chain", `{{ messages` + strings.Repeat(".a", 100000) + ` }}`, "nested deeper than"},
	{"a thousand 30 MB strings kept", `{% set a = [] %}{% for i in range(1000) %}{% set _ = a.append("x" * 30000000) %}{% endfor %}`, "bytes of strings and lists built"},
	{"a thousand million-item lists kept", `{% set a = [] %}{% for i in range(1000) %}{% set _ = a.append(range(1000000)|list) %}{% endfor %}`, "bytes of strings and lists built"},
	{"raised exception", `{{ raise_exception("nope") }}`, "nope"},
	{"call of nothing", `{{ nothing.at.all() }}`, "not callable"},
}

// Each hostile template fails its render with an error naming the cause,
// quickly and within bounded memory (run with ulimit -v; without the limits
// these hang, reach tens of gigabytes or die of a stack overflow).
func TestChatTemplateHostileRenderFails(t *testing.T) {
	for _, h := range hostileTemplates {
		ct, err := NewChatTemplate(h.src, nil)
		if err != nil { // the parser's nesting bound fails the deep ones here
			if !strings.Contains(err.Error(), h.why) {
				t.Errorf("%s: compile error %v, want %q", h.name, err, h.why)
			}
			continue
		}
		out, err := ct.Render(probeChat, true)
		if err == nil || !strings.Contains(err.Error(), h.why) {
			t.Errorf("%s: rendered %d bytes, error %v; want one with %q", h.name, len(out), err, h.why)
		}
	}
}

// Python's semantics, not a panic: a negative repeat or indent is nothing.
func TestChatTemplateNegativeSizes(t *testing.T) {
	for src, want := range map[string]string{
		`[{{ "x" * -3 }}]`:            "[]",
		`{{ "a\nb"|indent(-2) }}`:     "a\nb",
		`{{ [1]|tojson(indent=-1) }}`: "[\n1\n]",
		`{{ "ab"|replace("", "-") }}`: "-a-b-",
		`{{ "{0}{0}".format("hi") }}`: "hihi",
	} {
		ct, err := NewChatTemplate(src, nil)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got, err := ct.Render(probeChat, true); err != nil || got != want {
			t.Errorf("%s: %q (%v), want %q", src, got, err, want)
		}
	}
}

// The limits leave room for real conversations: Qwen3's template renders
// 4000 messages (some 260000 steps) the same as without them.
func TestChatTemplateLongConversationWithinLimits(t *testing.T) {
	ct, err := LoadChatTemplate("testdata/chattemplate/qwen3")
	if err != nil {
		t.Fatal(err)
	}
	msgs := make([]ChatMessage, 4000)
	for i := range msgs {
		msgs[i] = ChatMessage{Role: []string{"user", "assistant"}[i%2], Content: "Could you write a Python function to reverse a string?"}
	}
	got, err := ct.Render(msgs, true)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ct.tmpl.Render(map[string]any{"messages": chatList(msgs), "add_generation_prompt": true, "tools": nil, "documents": nil})
	if err != nil || got != want {
		t.Errorf("limited render differs from the unlimited one (%v)", err)
	}
}

// A run whose context has ended stops a long render at once.
func TestChatTemplateRenderStopsWithContext(t *testing.T) {
	ct, err := NewChatTemplate(`{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}`, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ct.ctx = ctx
	if _, err := ct.Render(probeChat, true); !errors.Is(err, context.Canceled) {
		t.Errorf("render with an ended context: %v", err)
	}
}

// A hostile template from tokenizer_config.json is the one load warning
// naming the cause, and the bare text is counted, as for one that does not
// parse; one that fails only on a later conversation stops being used then,
// and ChatWarning says why, once.
func TestResolveHostileChatTemplateWarns(t *testing.T) {
	raw := testkit.ReadFile(t, "testdata/qwen2/tokenizer.json")
	for _, h := range append(hostileTemplates, struct{ name, src, why string }{"does not parse", "{% if %}", "chat template"}) {
		cfg, _ := json.Marshal(map[string]string{"chat_template": h.src})
		dir := t.TempDir()
		testkit.WriteFiles(t, dir, map[string]string{"tokenizer.json": string(raw), "tokenizer_config.json": string(cfg)})
		c, warn, err := Resolve(context.Background(), Source{Tokenizer: dir, ChatTemplate: true}, nil)
		if err != nil || !strings.Contains(warn, h.why) || !strings.Contains(warn, "counted without a chat template") || strings.Contains(warn, "\n") {
			t.Errorf("%s: warning %q, error %v", h.name, warn, err)
			continue
		}
		if _, ok := c.(ChatCounter).CountChat(probeChat); ok {
			t.Errorf("%s: counted through the template", h.name)
		}
	}
	cfg, _ := json.Marshal(map[string]string{"chat_template": `{% if messages|length == 2 %}{{ raise_exception("one at a time") }}{% endif %}` +
		`{% if messages|length > 2 %}{{ "x" * 2000000000 }}{% endif %}{{ messages[0].content }}`})
	dir := t.TempDir()
	testkit.WriteFiles(t, dir, map[string]string{"tokenizer.json": string(raw), "tokenizer_config.json": string(cfg)})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, warn, err := Resolve(ctx, Source{Tokenizer: dir, ChatTemplate: true}, nil)
	if err != nil || warn != "" {
		t.Fatalf("warning %q, error %v", warn, err)
	}
	cc := c.(ChatCounter)
	if _, ok := cc.CountChat(probeChat); !ok || cc.ChatWarning() != "" {
		t.Fatalf("one message: ok %v, warning %q", ok, cc.ChatWarning())
	}
	// The template's own error costs that conversation only.
	if _, ok := cc.CountChat(append(probeChat, probeChat...)); ok || cc.ChatWarning() != "" {
		t.Errorf("two messages: ok %v, warning %q", ok, cc.ChatWarning())
	}
	if _, ok := cc.CountChat(probeChat); !ok {
		t.Error("the template was switched off by its own raise_exception")
	}
	// A limit switches it off for good, and says why.
	if _, ok := cc.CountChat(append(probeChat, probeChat[0], probeChat[0])); ok || !strings.Contains(cc.ChatWarning(), "a string of more than") {
		t.Errorf("three messages: ok %v, warning %q", ok, cc.ChatWarning())
	}
	if _, ok := cc.CountChat(probeChat); ok {
		t.Error("the template was used again after it went past a limit")
	}
}

// The run's end fails the render under way without switching the template
// off: the error is the context's, not the template's.
func TestCountChatCancelledKeepsTemplate(t *testing.T) {
	raw := testkit.ReadFile(t, "testdata/qwen2/tokenizer.json")
	cfg, _ := json.Marshal(map[string]string{"chat_template": `{% for i in range(100000) %}{% endfor %}{{ messages[0].content }}`})
	dir := t.TempDir()
	testkit.WriteFiles(t, dir, map[string]string{"tokenizer.json": string(raw), "tokenizer_config.json": string(cfg)})
	ctx, cancel := context.WithCancel(context.Background())
	c, warn, err := Resolve(ctx, Source{Tokenizer: dir, ChatTemplate: true}, nil)
	if err != nil || warn != "" {
		t.Fatalf("warning %q, error %v", warn, err)
	}
	cancel()
	cc := c.(ChatCounter)
	if _, ok := cc.CountChat(probeChat); ok || cc.ChatWarning() != "" {
		t.Errorf("cancelled: ok %v, warning %q", ok, cc.ChatWarning())
	}
	if ct := cc.(*HF).chat; ct.failed() != nil {
		t.Errorf("switched off by the run's end: %v", ct.failed())
	}
}
