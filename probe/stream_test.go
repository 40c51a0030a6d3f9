package probe

import (
	"bufio"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func chunk(delta string) string {
	return `data: {"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":` + delta + `,"finish_reason":null}]}` + "\n\n"
}

func readAll(t *testing.T, body string) *stream {
	t.Helper()
	s := &stream{}
	s.reset(time.Now())
	if err := s.read(bufio.NewReaderSize(strings.NewReader(body), 16)); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestStreamClassifiesEvents(t *testing.T) {
	cases := []struct {
		name              string
		body              string
		kinds             []record.ResponseKind
		answer, reasoning string
		done, finished    bool
		skipped           int
		errCode           int
		// errType and errMessage, when set, are the error's type and message.
		errType, errMessage string
	}{
		{
			name: "vLLM shape: role chunk, tokens, finish, usage, done",
			body: chunk(`{"role":"assistant","content":""}`) + chunk(`{"content":"Hello"}`) + chunk(`{"content":" world"}`) +
				`data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}` + "\n\n" +
				`data: {"object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":2}}` + "\n\n" +
				"data: [DONE]\n\n",
			kinds:  []record.ResponseKind{record.Content, record.Content},
			answer: "Hello world", done: true, finished: true,
		},
		{
			name:  "reasoning then content",
			body:  chunk(`{"reasoning_content":"think"}`) + chunk(`{"reasoning":" more"}`) + chunk(`{"content":"ok"}`) + "data: [DONE]\n\n",
			kinds: []record.ResponseKind{record.Reasoning, record.Reasoning, record.Content}, answer: "ok", reasoning: "think more", done: true,
		},
		{
			name:  "escapes, CRLF, comments, multi-line data",
			body:  ": keep-alive\r\n" + `data: {"choices":[{"delta":{"content":"a\"b\\c\n\u00e9\ud83d\ude00"}}]}` + "\r\n\r\n" + "data: [DONE]\r\n\r\n",
			kinds: []record.ResponseKind{record.Content}, answer: "a\"b\\c\né😀", done: true,
		},
		{
			name:  "malformed event skipped, request stays valid",
			body:  chunk(`{"content":"x"}`) + "data: {not json\n\n" + chunk(`{"content":"y"}`) + "data: [DONE]\n\n",
			kinds: []record.ResponseKind{record.Content, record.Content}, answer: "xy", done: true, skipped: 1,
		},
		{
			name:  "mid-stream error object",
			body:  chunk(`{"content":"x"}`) + `data: {"error":{"message":"overloaded","type":"ServiceUnavailable","code":503}}` + "\n\n",
			kinds: []record.ResponseKind{record.Content}, answer: "x", errCode: 503,
		},
		{
			name:  "error event with non-http code gives 502",
			body:  "event: error\ndata: {\"error\":{\"message\":\"boom\",\"code\":\"internal\"}}\n\n",
			kinds: nil, errCode: 502,
		},
		{
			name:  "error event: AIPerf's 502, type and message, the comment's when there is one",
			body:  chunk(`{"content":"x"}`) + "event: error\n: upstream gone\ndata: {\"error\":{\"message\":\"boom\",\"code\":503}}\n\n",
			kinds: []record.ResponseKind{record.Content}, answer: "x", errCode: 502,
			errType: "SSEResponseError", errMessage: "Error occurred in SSE response: upstream gone",
		},
		{
			name:  "error event without a comment: the error's message (a tester's Anthropic-style bytes)",
			body:  chunk(`{"content":"Hello"}`) + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
			kinds: []record.ResponseKind{record.Content}, answer: "Hello", errCode: 502,
			errType: "SSEResponseError", errMessage: "Error occurred in SSE response: Overloaded",
		},
		{
			name:  "error event: a long comment is kept to its first KiB",
			body:  "event: error\n: " + strings.Repeat("c", 3000) + "\ndata: {}\n\n",
			kinds: nil, errCode: 502,
			errType: "SSEResponseError", errMessage: "Error occurred in SSE response: " + strings.Repeat("c", maxCommentBytes),
		},
		{
			name:  "a null reasoning_content does not hide reasoning beside it",
			body:  chunk(`{"reasoning_content":null,"reasoning":"r"}`) + chunk(`{"reasoning_content":"","reasoning":"s"}`) + "data: [DONE]\n\n",
			kinds: []record.ResponseKind{record.Reasoning, record.Reasoning}, reasoning: "rs", done: true,
		},
		{
			name:  "content key inside reasoning_content is not content",
			body:  chunk(`{"reasoning_content":"r","content":null}`) + "data: [DONE]\n\n",
			kinds: []record.ResponseKind{record.Reasoning}, reasoning: "r", done: true,
		},
		{
			name:  "long line beyond the buffer",
			body:  chunk(`{"content":"`+strings.Repeat("z", 100)+`"}`) + "data: [DONE]\n\n",
			kinds: []record.ResponseKind{record.Content}, answer: strings.Repeat("z", 100), done: true,
		},
		{
			name:  "truncated stream: no done, no finish",
			body:  chunk(`{"content":"x"}`),
			kinds: []record.ResponseKind{record.Content}, answer: "x",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := readAll(t, c.body)
			if len(s.responses) != len(c.kinds) {
				t.Fatalf("responses %v, want kinds %v", s.responses, c.kinds)
			}
			for i, k := range c.kinds {
				if s.responses[i].Kind != k {
					t.Errorf("response %d kind %v, want %v", i, s.responses[i].Kind, k)
				}
				if i > 0 && s.responses[i].Offset < s.responses[i-1].Offset {
					t.Errorf("stamps go backwards")
				}
			}
			if string(s.answer) != c.answer || string(s.reasoning) != c.reasoning {
				t.Errorf("answer %q reasoning %q, want %q %q", s.answer, s.reasoning, c.answer, c.reasoning)
			}
			if s.done != c.done || s.finished != c.finished || s.skipped != c.skipped {
				t.Errorf("done %v finished %v skipped %d, want %v %v %d", s.done, s.finished, s.skipped, c.done, c.finished, c.skipped)
			}
			switch {
			case c.errCode == 0 && s.err != nil:
				t.Errorf("unexpected error %+v", s.err)
			case c.errCode != 0 && (s.err == nil || s.err.Code != c.errCode):
				t.Errorf("error %+v, want code %d", s.err, c.errCode)
			case c.errType != "" && (s.err.Type != c.errType || s.err.Message != c.errMessage):
				t.Errorf("error %+v, want type %q message %q", s.err, c.errType, c.errMessage)
			}
		})
	}
}

func TestParseUsage(t *testing.T) {
	u := parseUsage([]byte(`{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":9,"completion_tokens_details":{"reasoning_tokens":3},"prompt_tokens_details":{"audio_tokens":50}}}`))
	if u == nil || *u != (record.Usage{PromptTokens: 7, CompletionTokens: 9, ReasoningTokens: 3, AudioTokens: 50}) {
		t.Fatalf("got %+v", u)
	}
	if parseUsage(nil) != nil || parseUsage([]byte(`{"usage":null}`)) != nil {
		t.Fatal("no usage must give nil")
	}
}

// The per-chunk path must not allocate once its buffers have grown.
func TestStreamChunkAllocatesNothing(t *testing.T) {
	line := []byte(`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":" token"},"logprobs":null,"finish_reason":null}]}` + "\n")
	if allocs := eventAllocs(&stream{}, line); allocs != 0 {
		t.Fatalf("%v allocations per chunk", allocs)
	}
}

// eventAllocs is the allocations of reading one more event line into s once
// its buffers have grown.
func eventAllocs(s *stream, line []byte) float64 {
	s.reset(time.Now())
	for i := 0; i < 1000; i++ { // grow buffers
		s.line(line)
		s.line([]byte("\n"))
	}
	return testing.AllocsPerRun(1000, func() {
		s.responses = s.responses[:0]
		s.answer = s.answer[:0]
		s.line(line)
		s.line([]byte("\n"))
	})
}

func TestWholeBodies(t *testing.T) {
	cases := []struct {
		name, body, answer string
		responses          int
	}{
		{"chat completion", `{"object":"chat.completion","choices":[{"message":{"role":"assistant","content":"hi there"}}],"usage":{"completion_tokens":2}}`, "hi there", 1},
		{"transcription", `{"text":"transcribed words"}`, "transcribed words", 1},
		{"empty transcription", `{"text":""}`, "", 0},
		{"chat with empty content ignores a text key elsewhere", `{"choices":[{"message":{"content":""}}],"text":"x"}`, "", 0},
	}
	for _, c := range cases {
		s := &stream{}
		s.reset(time.Now())
		s.whole([]byte(c.body), time.Second)
		if string(s.answer) != c.answer || len(s.responses) != c.responses {
			t.Errorf("%s: answer %q, %d responses", c.name, s.answer, len(s.responses))
		}
	}
}
