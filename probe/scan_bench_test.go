package probe

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// valueOfBefore is the key search the hot path used before scanFields: one
// bytes.Index over the whole chunk per wanted key. It stays here as the oracle
// scanFields is checked against and as the "before" of BenchmarkChunkFields.
func valueOfBefore(data []byte, quotedKey []byte) []byte {
	for off := 0; ; {
		i := bytes.Index(data[off:], quotedKey)
		if i < 0 {
			return nil
		}
		rest := skipSpace(data[off+i+len(quotedKey):])
		if len(rest) > 0 && rest[0] == ':' {
			return skipSpace(rest[1:])
		}
		off += i + len(quotedKey)
	}
}

// stringOfBefore is valueOfBefore for a text slot: the key's first value
// that is a string.
func stringOfBefore(data []byte, quotedKey []byte) []byte {
	for {
		v := valueOfBefore(data, quotedKey)
		if len(v) == 0 || v[0] == '"' {
			return v
		}
		data = v
	}
}

// fieldsBefore fills f the way the hot path did before: one full search per
// key (thinking and text included, as scanFields reads them).
func fieldsBefore(d []byte, f *fields) {
	f.error = valueOfBefore(d, []byte(`"error"`))
	f.choices = valueOfBefore(d, []byte(`"choices"`))
	f.content = stringOfBefore(d, []byte(`"content"`))
	f.reasoningContent = stringOfBefore(d, []byte(`"reasoning_content"`))
	f.reasoning = stringOfBefore(d, []byte(`"reasoning"`))
	f.thinking = stringOfBefore(d, []byte(`"thinking"`))
	f.text = stringOfBefore(d, []byte(`"text"`))
	f.finishReason = valueOfBefore(d, []byte(`"finish_reason"`))
	f.usage = valueOfBefore(d, []byte(`"usage"`))
}

var fieldCases = []struct{ name, json string }{
	{"vllm token", `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" word"},"logprobs":null,"finish_reason":null}]}`},
	{"reasoning", `{"choices":[{"delta":{"reasoning_content":"think","content":null}}]}`},
	{"reasoning alias", `{"choices":[{"delta":{"reasoning":"hm"}}]}`},
	{"finish", `{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}`},
	{"usage", `{"choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2}}`},
	{"error object", `{"error":{"message":"overloaded","code":503}}`},
	{"spaces around colons", `{ "choices" : [ { "delta" : { "content" : "x" } } ] }`},
	{"key text inside a value", `{"choices":[{"delta":{"content":"say \"usage\": no, \"error\":x"}}]}`},
	{"colon in content", `{"choices":[{"delta":{"content":"a: b"}}],"usage":null}`},
	{"keys ending alike", `{"context":1,"intent":2,"ping":3,"season":4,"value":5,"other":6,"axes":7,"choices":[]}`},
	{"empty", `{}`},
	{"logprobs content null first", `{"choices":[{"index":0,"logprobs":{"content":null},"delta":{"reasoning":null,"content":"hi"}}]}`},
	{"logprobs content list first", `{"choices":[{"index":0,"logprobs":{"content":[{"token":"hi"}]},"delta":{"content":"hi"}}]}`},
	{"no string content", `{"choices":[{"delta":{"content":null,"reasoning_content":{}}}]}`},
	{"responses text object first", `{"text":{"format":{"type":"text"}},"choices":[{"index":0,"text":"hi"}]}`},
	{"anthropic thinking", `{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hm"}}`},
	{"thinking object first", `{"thinking":{"budget_tokens":1},"delta":{"thinking":"hm"}}`},
}

// scanFields must find exactly what the per-key search found.
func TestScanFieldsMatchesKeySearch(t *testing.T) {
	for _, c := range fieldCases {
		t.Run(c.name, func(t *testing.T) {
			var got, want fields
			scanFields([]byte(c.json), &got)
			fieldsBefore([]byte(c.json), &want)
			pairs := []struct {
				key       string
				got, want []byte
			}{
				{"content", got.content, want.content}, {"reasoning_content", got.reasoningContent, want.reasoningContent},
				{"reasoning", got.reasoning, want.reasoning}, {"thinking", got.thinking, want.thinking}, {"text", got.text, want.text}, {"finish_reason", got.finishReason, want.finishReason},
				{"usage", got.usage, want.usage}, {"error", got.error, want.error}, {"choices", got.choices, want.choices},
			}
			for _, p := range pairs {
				if (p.got == nil) != (p.want == nil) || !bytes.Equal(p.got, p.want) {
					t.Errorf("%s: got %q, want %q", p.key, p.got, p.want)
				}
			}
		})
	}
}

// BenchmarkChunkFields is the before/after of the one-pass key scan on a
// typical token chunk: one op = one chunk.
func BenchmarkChunkFields(b *testing.B) {
	d := []byte(fieldCases[0].json)
	for _, impl := range []struct {
		name string
		scan func([]byte, *fields)
	}{{"before=index-per-key", fieldsBefore}, {"after=one-pass", scanFields}} {
		b.Run(impl.name, func(b *testing.B) {
			var f fields
			b.ReportAllocs()
			for b.Loop() {
				impl.scan(d, &f)
			}
			if f.content == nil {
				b.Fatal("content not found")
			}
		})
	}
}

// parseUsageBefore is the JSON decode parseUsage replaced: the oracle of
// TestParseUsageMatchesDecode and the "before" of BenchmarkParseUsage.
func parseUsageBefore(data []byte) *record.Usage {
	if len(data) == 0 {
		return nil
	}
	var body struct {
		Usage *struct {
			PromptTokens      int `json:"prompt_tokens"`
			CompletionTokens  int `json:"completion_tokens"`
			CompletionDetails *struct {
				ReasoningTokens int `json:"reasoning_tokens"`
			} `json:"completion_tokens_details"`
			PromptTokensDetails *struct {
				AudioTokens int `json:"audio_tokens"`
			} `json:"prompt_tokens_details"`
		} `json:"usage"`
	}
	if json.Unmarshal(data, &body) != nil || body.Usage == nil {
		return nil
	}
	u := &record.Usage{PromptTokens: body.Usage.PromptTokens, CompletionTokens: body.Usage.CompletionTokens}
	if d := body.Usage.CompletionDetails; d != nil {
		u.ReasoningTokens = d.ReasoningTokens
	}
	if d := body.Usage.PromptTokensDetails; d != nil {
		u.AudioTokens = d.AudioTokens
	}
	return u
}

var usageCases = []struct{ name, json string }{
	{"stream usage chunk", `{"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":32,"total_tokens":42}}`},
	{"details", `{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":9,"completion_tokens_details":{"audio_tokens":5,"reasoning_tokens":3},"prompt_tokens_details":{"audio_tokens":50,"cached_tokens":0}}}`},
	{"whole response", `{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"usage: \"prompt_tokens\": 99"},"finish_reason":"stop"}],"usage":{"prompt_tokens":4,"completion_tokens":1}}`},
	{"null usage", `{"choices":[],"usage":null}`},
	{"empty usage", `{"usage":{}}`},
	{"null details", `{"usage":{"prompt_tokens":1,"completion_tokens":2,"completion_tokens_details":null}}`},
	{"spaces", `{ "usage" : { "prompt_tokens" : 12 , "completion_tokens" : 3 } }`},
	{"float count", `{"usage":{"prompt_tokens":1.5,"completion_tokens":2}}`},
	{"string count", `{"usage":{"prompt_tokens":"1","completion_tokens":2}}`},
	{"usage not an object", `{"usage":"none"}`},
	{"negative", `{"usage":{"prompt_tokens":-1,"completion_tokens":2}}`},
	{"no usage", `{"choices":[]}`},
}

func TestParseUsageMatchesDecode(t *testing.T) {
	for _, c := range usageCases {
		t.Run(c.name, func(t *testing.T) {
			got, want := parseUsage([]byte(c.json)), parseUsageBefore([]byte(c.json))
			if (got == nil) != (want == nil) || (got != nil && *got != *want) {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

// BenchmarkParseUsage is the before/after of reading the usage chunk, once
// per request: one op = one usage chunk.
func BenchmarkParseUsage(b *testing.B) {
	d := []byte(usageCases[1].json)
	for _, impl := range []struct {
		name  string
		parse func([]byte) *record.Usage
	}{{"before=json-decode", parseUsageBefore}, {"after=byte-scan", parseUsage}} {
		b.Run(impl.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if impl.parse(d) == nil {
					b.Fatal("no usage")
				}
			}
		})
	}
}

// A text slot keeps its key's first string value: logprobs' "content" (null,
// a list) written before the delta does not hide the delta's text.
func TestTextSlotsKeepFirstString(t *testing.T) {
	for _, c := range []struct{ json, content, reasoning, text, thinking string }{
		{`{"choices":[{"logprobs":{"content":null},"delta":{"content":"hi"}}]}`, "hi", "", "", ""},
		{`{"choices":[{"logprobs":{"content":[{"token":"x"}]},"delta":{"content":"hi"}}]}`, "hi", "", "", ""},
		{`{"choices":[{"delta":{"reasoning":null,"content":null,"reasoning_content":"hm"}}]}`, "", "hm", "", ""},
		{`{"text":{"format":{"type":"text"}},"choices":[{"index":0,"text":"hi"}]}`, "", "", "hi", ""},
		{`{"thinking":null,"delta":{"type":"thinking_delta","thinking":"hm"}}`, "", "", "", "hm"},
	} {
		var f fields
		scanFields([]byte(c.json), &f)
		var got [4]string
		for i, v := range [][]byte{f.content, f.reasoningContent, f.text, f.thinking} {
			s, _ := appendString(nil, v)
			got[i] = string(s)
		}
		if want := [4]string{c.content, c.reasoning, c.text, c.thinking}; got != want {
			t.Errorf("%s: content, reasoning_content, text, thinking %q; want %q", c.json, got, want)
		}
	}
}
