package probe

import (
	"bufio"
	"strings"
	"testing"
	"time"
)

// A completion's text is its answer only on the completions endpoint: a chat
// stream's "text" keys (there are none in OpenAI's shape) never count.
func TestCompletionTextChoices(t *testing.T) {
	const streamed = `data: {"id":"c","object":"text_completion","choices":[{"index":0,"text":"Hello","logprobs":null,"finish_reason":null}]}` + "\n\n" +
		`data: {"id":"c","object":"text_completion","choices":[{"index":0,"text":" world","logprobs":null,"finish_reason":null}]}` + "\n\n" +
		`data: {"id":"c","object":"text_completion","choices":[{"index":0,"text":"","logprobs":null,"finish_reason":"length"}]}` + "\n\n" +
		`data: {"id":"c","object":"text_completion","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}` + "\n\n" +
		"data: [DONE]\n\n"
	const whole = `{"id":"c","object":"text_completion","choices":[{"index":0,"text":"Hello world","finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}`
	cases := []struct {
		name        string
		textChoices bool
		streamed    bool
		answer      string
		responses   int
	}{
		{"streamed completion", true, true, "Hello world", 2},
		{"whole completion", true, false, "Hello world", 1},
		{"streamed, read as chat", false, true, "", 0},
		{"whole, read as chat", false, false, "", 0},
	}
	for _, c := range cases {
		s := &stream{}
		s.reset(time.Now())
		s.textChoices = c.textChoices
		if c.streamed {
			if err := s.read(bufio.NewReaderSize(strings.NewReader(streamed), 16)); err != nil {
				t.Fatal(err)
			}
		} else {
			s.whole([]byte(whole), time.Second)
		}
		if string(s.answer) != c.answer || len(s.responses) != c.responses {
			t.Errorf("%s: answer %q, %d responses; want %q, %d", c.name, s.answer, len(s.responses), c.answer, c.responses)
		}
		if u := parseUsage(s.usage); u == nil || u.CompletionTokens != 2 {
			t.Errorf("%s: usage %+v", c.name, u)
		}
	}
}

// An endpoint that returns no text answers with one response when its
// results list is not empty; an empty list or an error body is no answer.
func TestResultLists(t *testing.T) {
	cases := []struct {
		name, key, body string
		responses       int
		err             bool
	}{
		{"embeddings", `"data"`, `{"object":"list","data":[{"object":"embedding","embedding":[0.1,-0.2],"index":0}],"usage":{"prompt_tokens":3,"total_tokens":3}}`, 1, false},
		{"no embeddings", `"data"`, `{"object":"list","data": [ ],"usage":{"prompt_tokens":0}}`, 0, false},
		{"error body", `"data"`, `{"error":{"message":"boom","code":503}}`, 0, true},
		{"a chat answer is not a list", `"data"`, `{"choices":[{"message":{"content":"hi"}}]}`, 0, false},
		{"nim rankings", `"rankings"`, `{"rankings":[{"index":1,"logit":0.5},{"index":0,"logit":0.1}]}`, 1, false},
		{"cohere rankings", `"results"`, `{"id":"x","results":[{"index":0,"relevance_score":0.9}],"meta":{}}`, 1, false},
		{"TEI rerank: the body is the list", `"results"`, ` [{"index":0,"score":0.9}]`, 1, false},
		{"TEI rerank: empty", `"results"`, `[]`, 0, false},
		{"rankings key missing", `"rankings"`, `{"results":[{"index":0}]}`, 0, false},
		{"cohere embed", `"float"`, `{"id":"x","embeddings":{"float":[[0.1,0.2]]},"meta":{"billed_units":{"input_tokens":4}}}`, 1, false},
		{"cohere embed, no float", `"float"`, `{"id":"x","embeddings":{"int8":[[1,2]]}}`, 0, false},
		{"nim image retrieval", `"data"`, `{"data":[{"index":0,"bounding_boxes":{"table":[]}}]}`, 1, false},
		{"not JSON: a list of garbage", `"results"`, `[x`, 0, false},
		{"not JSON: a results key of garbage", `"data"`, `{"data":[x]}`, 0, false},
		{"not JSON: cut short", `"data"`, `{"data":[{"embedding":[0.1`, 0, false},
		{"not JSON: nested past any decoder", `"results"`, strings.Repeat("[", 2_000_000) + strings.Repeat("]", 2_000_000), 0, false},
	}
	for _, c := range cases {
		s := &stream{}
		s.reset(time.Now())
		s.results = c.key
		s.whole([]byte(c.body), time.Second)
		if len(s.responses) != c.responses || (s.err != nil) != c.err || len(s.answer) != 0 {
			t.Errorf("%s: %d responses, error %+v, answer %q", c.name, len(s.responses), s.err, s.answer)
		}
	}
}

// Every whole body is checked to be JSON, whatever the reply type: a cut
// body, or one with garbage after it, is no answer (it was one response for
// all but result lists), while its whole form is.
func TestWholeBodyMustBeJSON(t *testing.T) {
	type kind struct{ textChoices, tokenIDs, responsesAPI bool }
	chat, tgi, ids, responses := kind{}, kind{textChoices: true}, kind{tokenIDs: true}, kind{responsesAPI: true}
	cases := []struct {
		name      string
		kind      kind
		body      string
		responses int
	}{
		{"chat", chat, `{"choices":[{"message":{"content":"hi"}}]}`, 1},
		{"chat, cut", chat, `{"choices":[{"message":{"content":"hi"}}`, 0},
		{"chat, garbage after", chat, `{"choices":[{"message":{"content":"hi"}}]} x {}`, 0},
		{"transcription", chat, `{"text":"hello"}`, 1},
		{"transcription, cut", chat, `{"text":"hello"`, 0},
		{"vLLM generate", ids, `{"choices":[{"token_ids":[1,2,3]}]}`, 1},
		{"vLLM generate, cut", ids, `{"choices":[{"token_ids":[1,2,3]}`, 0},
		{"TGI", tgi, `[{"generated_text":"hi"}]`, 1},
		{"TGI, cut", tgi, `[{"generated_text":"hi"}`, 0},
		{"Responses API", responses, `{"output":[{"type":"message","content":[{"type":"output_text","text":"hi"}]}]}`, 1},
		{"Responses API, cut", responses, `{"output":[{"type":"message","content":[{"type":"output_text","text":"hi"}]}]`, 0},
	}
	for _, c := range cases {
		s := &stream{}
		s.reset(time.Now())
		s.textChoices, s.tokenIDs, s.responsesAPI = c.kind.textChoices, c.kind.tokenIDs, c.kind.responsesAPI
		s.whole([]byte(c.body), time.Second)
		if len(s.responses) != c.responses || s.err != nil {
			t.Errorf("%s: %d responses (want %d), error %+v", c.name, len(s.responses), c.responses, s.err)
		}
	}
}

// TGI's stream carries each token's text and no [DONE]: the last event's
// generated_text ends it; its non-streamed answer is generated_text, alone
// or in a list.
func TestTGIAnswers(t *testing.T) {
	const streamed = `data:{"index":1,"token":{"id":5,"text":"Hello","logprob":-0.1,"special":false},"generated_text":null,"details":null}` + "\n\n" +
		`data:{"index":2,"token":{"id":6,"text":" world","logprob":-0.2,"special":false},"generated_text":"Hello world","details":null}` + "\n\n"
	s := &stream{}
	s.reset(time.Now())
	s.textChoices = true
	if err := s.read(bufio.NewReaderSize(strings.NewReader(streamed), 16)); err != nil {
		t.Fatal(err)
	}
	if string(s.answer) != "Hello world" || len(s.responses) != 2 || !s.finished {
		t.Errorf("streamed: answer %q, %d responses, finished %v", s.answer, len(s.responses), s.finished)
	}
	for _, body := range []string{`{"generated_text":"Hello world"}`, ` [{"generated_text":"Hello world"}]`} {
		s := &stream{}
		s.reset(time.Now())
		s.textChoices = true
		s.whole([]byte(body), time.Second)
		if string(s.answer) != "Hello world" || len(s.responses) != 1 || s.skipped != 0 {
			t.Errorf("%s: answer %q, %d responses, %d skipped", body, s.answer, len(s.responses), s.skipped)
		}
	}
}

// Responses API events are read by their SSE name or, without one, by their
// type value wherever the server puts it; the done event's text is not
// counted again after deltas; response.completed ends the stream.
func TestResponsesAPIEvents(t *testing.T) {
	named := "event: response.created\ndata: {\"response\":{\"output\":[],\"text\":{\"format\":{\"type\":\"text\"}},\"usage\":null},\"type\":\"response.created\"}\n\n" +
		"event: response.output_text.delta\ndata: {\"content_index\":0,\"delta\":\"Hi\",\"output_index\":0,\"type\":\"response.output_text.delta\"}\n\n" +
		"event: response.reasoning_text.delta\ndata: {\"delta\":\"hmm\",\"type\":\"response.reasoning_text.delta\"}\n\n" +
		"event: response.output_text.delta\ndata: {\"content_index\":0,\"delta\":\" there\",\"output_index\":0,\"type\":\"response.output_text.delta\"}\n\n" +
		"event: response.output_text.done\ndata: {\"text\":\"Hi there\",\"type\":\"response.output_text.done\"}\n\n" +
		"event: response.completed\ndata: {\"response\":{\"output\":[{\"type\":\"message\",\"content\":[{\"text\":\"Hi there\",\"type\":\"output_text\"}]}],\"usage\":{\"input_tokens\":4,\"output_tokens\":2}},\"type\":\"response.completed\"}\n\n"
	unnamed := strings.ReplaceAll(strings.ReplaceAll(named, "event: response.created\n", ""), "event: response.", "ignored: response.")
	doneOnly := "data: {\"type\":\"response.output_text.done\",\"text\":\"all at once\"}\n\n" +
		"data: {\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":1,\"output_tokens\":3}}}\n\n"
	cases := []struct {
		name, body, answer string
		responses          int
		output             int
	}{
		{"named events", named, "Hi there", 4, 2},
		{"unnamed events, type last", unnamed, "Hi there", 4, 2},
		{"done alone carries the text", doneOnly, "all at once", 1, 3},
	}
	for _, c := range cases {
		s := &stream{}
		s.reset(time.Now())
		s.responsesAPI = true
		if err := s.read(bufio.NewReaderSize(strings.NewReader(c.body), 16)); err != nil {
			t.Fatal(err)
		}
		u := parseUsage(s.usage)
		if string(s.answer) != c.answer || len(s.responses) != c.responses || !s.done || u == nil || u.CompletionTokens != c.output {
			t.Errorf("%s: answer %q, %d responses, done %v, usage %+v", c.name, s.answer, len(s.responses), s.done, u)
		}
	}
	s := &stream{}
	s.reset(time.Now())
	s.responsesAPI = true
	s.whole([]byte(`{"id":"r","object":"response","output":[{"type":"reasoning","summary":[{"type":"summary_text","text":"think"}]},`+
		`{"type":"message","content":[{"annotations":[],"text":"Hello","type":"output_text"}]}],"usage":{"input_tokens":2,"output_tokens":1}}`), time.Second)
	if string(s.answer) != "Hello" || string(s.reasoning) != "think" || len(s.responses) != 1 || parseUsage(s.usage) == nil {
		t.Errorf("whole: answer %q, reasoning %q, %d responses, usage %s", s.answer, s.reasoning, len(s.responses), s.usage)
	}
}

// Cohere's usage is meta.billed_units: its input_tokens are the prompt
// tokens, as AIPerf's cohere_embeddings.py reads them.
func TestCohereBilledUnitsAreUsage(t *testing.T) {
	s := &stream{}
	s.reset(time.Now())
	s.results = `"float"`
	s.whole([]byte(`{"id":"x","embeddings":{"float":[[0.1]]},"meta":{"api_version":{"version":"2"},"billed_units":{"input_tokens":7}}}`), time.Second)
	if u := parseUsage(s.usage); u == nil || u.PromptTokens != 7 || u.CompletionTokens != 0 {
		t.Errorf("usage %+v, want 7 prompt tokens", u)
	}
}
