package probe

import (
	"bufio"
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// The fixtures in testdata/toolcalls are byte-exact replies of real servers'
// shapes, as a tester served them: tool-call text is output, as AIPerf counts it.
func TestToolCallsAreOutput(t *testing.T) {
	c, r := record.Content, record.Reasoning
	cases := []struct {
		file              string // or the body itself
		body              string
		set               func(*stream)
		kinds             []record.ResponseKind
		answer, reasoning string
	}{
		// vLLM: the name in one delta, the arguments in the next ones.
		{file: "vllm-tool-only.sse", kinds: []record.ResponseKind{c, c, c}, answer: `get_weather{"city": "Paris"}`},
		{file: "vllm-text-then-tool.sse", kinds: []record.ResponseKind{c, c, c, c, c}, answer: `Checking now.get_weather{"city": "Paris"}`},
		// A non-streamed message with null content and tool_calls.
		{file: "chat-tool-message.json", kinds: []record.ResponseKind{c}, answer: `get_weather{"city": "Paris"}`},
		{file: "chat-json-reply.json", kinds: []record.ResponseKind{c}, answer: "Hello world again"},
		// logprobs' "content" list comes before the delta's content.
		{file: "logprobs-first.sse", kinds: []record.ResponseKind{c, c}, answer: "Hello world"},
		// Anthropic streams the input's JSON, not the name (AIPerf counts only the non-empty pieces).
		{file: "anthropic-tool-use.sse", set: func(s *stream) { s.messagesAPI = true }, kinds: []record.ResponseKind{c, c}, answer: `{"city": "Paris"}`},
		{file: "responses-function-call.sse", set: func(s *stream) { s.responsesAPI = true }, kinds: []record.ResponseKind{c, c}, answer: `{"city": "Paris"}`},
		// A function call's deltas do not make a later output_text.done a repeat.
		{body: "event: response.function_call_arguments.delta\ndata: {\"delta\":\"{}\"}\n\n" +
			"event: response.output_text.done\ndata: {\"text\":\"Done.\"}\n\n", set: func(s *stream) { s.responsesAPI = true },
			kinds: []record.ResponseKind{c, c}, answer: "{}Done."},
		// Whole bodies: a tool_use block's name and compact input, only when
		// there is no text; a Responses function_call's name and arguments.
		{file: "anthropic-tool-use.json", set: func(s *stream) { s.messagesAPI = true }, kinds: []record.ResponseKind{c}, answer: `get_weather{"city":"Paris"}`},
		{file: "anthropic-text-and-tool-use.json", set: func(s *stream) { s.messagesAPI = true }, kinds: []record.ResponseKind{c}, answer: "Checking."},
		{file: "responses-function-call.json", set: func(s *stream) { s.responsesAPI = true }, kinds: []record.ResponseKind{c}, answer: `get_weather{"city": "Paris"}`},
		// Reasoning wins over tool calls in the same chunk, as AIPerf's precedence says.
		{body: chunk(`{"reasoning_content":"hm","tool_calls":[{"function":{"name":"skipped"}}]}`) +
			chunk(`{"tool_calls":[{"function":{"name":"f","arguments":"{}"}}]}`) + "data: [DONE]\n\n",
			kinds: []record.ResponseKind{r, c}, reasoning: "hm", answer: "f{}"},
	}
	for _, tc := range cases {
		name := tc.file
		if name == "" {
			name = tc.body
		}
		t.Run(name, func(t *testing.T) {
			body := []byte(tc.body)
			if tc.file != "" {
				var err error
				if body, err = os.ReadFile(filepath.Join("testdata", "toolcalls", tc.file)); err != nil {
					t.Fatal(err)
				}
			}
			s := &stream{}
			s.reset(time.Now())
			if tc.set != nil {
				tc.set(s)
			}
			if filepath.Ext(tc.file) == ".json" {
				s.whole(body, time.Second)
			} else {
				if err := s.read(bufio.NewReaderSize(bytes.NewReader(body), 16)); err != nil {
					t.Fatal(err)
				}
			}
			var kinds []record.ResponseKind
			for _, x := range s.responses {
				kinds = append(kinds, x.Kind)
			}
			if string(s.answer) != tc.answer || string(s.reasoning) != tc.reasoning || !equalKinds(kinds, tc.kinds) {
				t.Errorf("answer %q reasoning %q kinds %v, want %q %q %v", s.answer, s.reasoning, kinds, tc.answer, tc.reasoning, tc.kinds)
			}
		})
	}
}

func equalKinds(a, b []record.ResponseKind) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// appendToolCalls reads only keys: a name or arguments inside a string value,
// a broken list or another shape adds nothing it should not.
func TestAppendToolCalls(t *testing.T) {
	cases := []struct{ name, v, want string }{
		{"two calls", `[{"function":{"name":"a","arguments":"1"}},{"function":{"name":"b","arguments":"2"}}]`, "a1b2"},
		{"escaped arguments", `[{"function":{"arguments":"{\"name\": \"x\"}"}}]`, `{"name": "x"}`},
		{"key text in a value", `[{"id":"\"name\": no","function":{"name":"f"}}]`, "f"},
		{"stops at the list's end", `[{"function":{"name":"f"}}],"name":"outside"`, "f"},
		{"empty list", `[]`, ""},
		{"null", `null`, ""},
		{"unterminated", `[{"function":{"name":"f`, "f"},
		{"unterminated key", `[{"na`, ""},
	}
	for _, c := range cases {
		got, n := appendToolCalls(nil, []byte(c.v))
		if string(got) != c.want || n != len(c.want) {
			t.Errorf("%s: got %q (%d)", c.name, got, n)
		}
	}
}

// A tool-call chunk costs no allocation once the buffers have grown.
func TestToolCallChunkAllocatesNothing(t *testing.T) {
	s := &stream{}
	line := []byte(`data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": "}}]},"finish_reason":null}]}` + "\n")
	if n := eventAllocs(s, line); n != 0 {
		t.Errorf("%.1f allocations per tool-call chunk", n)
	}
}

// Over loopback, as a --streaming run meets them: a tool-call-only stream is a
// valid request with streaming metrics; a plain JSON reply (tool calls or
// text) is valid but did not stream, so it has no TTFT (AIPerf's
// streamed_request), whatever the run asked for.
func TestToolCallsAndJSONRepliesOverLoopback(t *testing.T) {
	cases := []struct {
		file, contentType string
		responses         int
		text              string
		streamed          bool
	}{
		{"vllm-tool-only.sse", "text/event-stream", 3, `get_weather{"city": "Paris"}`, true},
		{"vllm-text-then-tool.sse", "text/event-stream", 5, `Checking now.get_weather{"city": "Paris"}`, true},
		{"chat-tool-message.json", "application/json", 1, `get_weather{"city": "Paris"}`, false},
		{"chat-json-reply.json", "application/json", 1, "Hello world again", false},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("testdata", "toolcalls", c.file))
			if err != nil {
				t.Fatal(err)
			}
			h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", c.contentType)
				_, _ = w.Write(body)
			})
			recs := runHandler(t, h, Config{Streaming: true, Concurrency: 1, RequestCount: 1, Counter: tokens.Words{}, KeepText: true})
			if len(recs) != 1 {
				t.Fatalf("%d records", len(recs))
			}
			r := recs[0]
			if !r.Valid() || len(r.Responses) != c.responses || r.ResponseText != c.text || !r.Streaming || r.Streamed() != c.streamed {
				t.Fatalf("valid %v, %d responses, text %q, streaming %v, streamed %v; want %d %q true %v (error %+v)",
					r.Valid(), len(r.Responses), r.ResponseText, r.Streaming, r.Streamed(), c.responses, c.text, c.streamed, r.Error)
			}
			if r.OutputTokens <= 0 {
				t.Errorf("output tokens %d", r.OutputTokens)
			}
			m := metrics.ForRecord(r)
			if _, ok := m.Get(metrics.TTFT); ok != c.streamed {
				t.Errorf("TTFT present %v, want %v", ok, c.streamed)
			}
			if _, ok := m.Get(metrics.RequestLatency); !ok {
				t.Error("no request latency")
			}
		})
	}
}
