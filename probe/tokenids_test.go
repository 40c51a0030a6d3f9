package probe

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"time"
)

// vLLM's generate answer is choices[0].token_ids: their count is the output,
// one response; no list, an empty one or an error body is no answer.
func TestTokenIDsAnswer(t *testing.T) {
	for _, c := range []struct {
		body      string
		ids       int
		responses int
		err       bool
	}{
		{`{"request_id":"r","choices":[{"index":0,"token_ids":[11, 12,-3,14],"finish_reason":"length"}],"prompt_token_ids":null}`, 4, 1, false},
		{`{"choices":[{"index":0,"token_ids":[7],"finish_reason":"stop"}]}`, 1, 1, false},
		{`{"choices":[{"index":0,"token_ids":[],"finish_reason":"stop"}]}`, 0, 0, false},
		{`{"choices":[{"index":0,"token_ids":[1,"2"]}]}`, 0, 0, false},
		{`{"choices":[{"index":0,"token_ids":[1.5]}]}`, 0, 0, false},
		{`{"error":{"message":"bad","type":"BadRequestError","code":400}}`, 0, 0, true},
	} {
		s := &stream{}
		s.reset(time.Now())
		s.tokenIDs = true
		s.whole([]byte(c.body), time.Second)
		if s.outputIDs != c.ids || len(s.responses) != c.responses || (s.err != nil) != c.err {
			t.Errorf("%s: %d ids, %d responses, error %+v", c.body, s.outputIDs, len(s.responses), s.err)
		}
	}
}

// scanFields' one pass finds SGLang's output_ids and completion_tokens where
// the per-key search (keyValue) outputIDsEvent made for each did.
func TestScanFieldsFindsOutputIDs(t *testing.T) {
	for _, d := range []string{
		`{"text":"a","output_ids":[1000,1001],"meta_info":{"id":"r","finish_reason":null,"prompt_tokens":3,"completion_tokens":2},"index":0}`,
		`{"output_ids":[7]}`,
		`{ "output_ids" : [ 7 ] , "meta_info" : { "completion_tokens" : null } }`,
		`{"text":"say \"output_ids\": [1]","meta_info":{"completion_tokens_details":{},"completion_tokens":4}}`,
		`{"meta_info":{"completion_tokens":1.5},"output_ids":[]}`,
		`{"text":"no ids"}`,
	} {
		var f fields
		scanFields([]byte(d), &f)
		for _, c := range []struct {
			key       string
			got, want []byte
		}{
			{"output_ids", f.outputIDs, keyValue([]byte(d), `"output_ids"`)},
			{"completion_tokens", f.completionTokens, keyValue([]byte(d), `"completion_tokens"`)},
		} {
			if (c.got == nil) != (c.want == nil) || !bytes.Equal(c.got, c.want) {
				t.Errorf("%s: %s = %q, the key search finds %q", d, c.key, c.got, c.want)
			}
		}
	}
}

// SGLang's generate stream: each event with output_ids is a response; the
// output is meta_info.completion_tokens (SGLang sends the ids whole so far),
// else the ids summed (incremental, --stream-output).
func TestOutputIDsStream(t *testing.T) {
	const whole = `data: {"text":"a","output_ids":[1000],"meta_info":{"id":"r","finish_reason":null,"prompt_tokens":3,"completion_tokens":1},"index":0}` + "\n\n" +
		`data: {"text":"a b","output_ids":[1000,1001],"meta_info":{"id":"r","finish_reason":null,"prompt_tokens":3,"completion_tokens":2},"index":0}` + "\n\n" +
		`data: {"text":"a b c","output_ids":[1000,1001,1002],"meta_info":{"id":"r","finish_reason":{"type":"length"},"prompt_tokens":3,"completion_tokens":3},"index":0}` + "\n\n" +
		"data: [DONE]\n\n"
	const incremental = `data: {"output_ids":[1000,1001]}` + "\n\n" + `data: {"output_ids":[1002]}` + "\n\n" + `data: {"output_ids":[]}` + "\n\n" + "data: [DONE]\n\n"
	for _, c := range []struct {
		name, body     string
		responses, ids int
	}{
		{"whole so far", whole, 3, 3},
		{"incremental", incremental, 2, 3},
	} {
		s := &stream{}
		s.reset(time.Now())
		s.tokenIDs = true
		if err := s.read(bufio.NewReaderSize(strings.NewReader(c.body), 16)); err != nil {
			t.Fatal(err)
		}
		if len(s.responses) != c.responses || s.outputIDs != c.ids || !s.done {
			t.Errorf("%s: %d responses, %d output ids, done %v; want %d, %d", c.name, len(s.responses), s.outputIDs, s.done, c.responses, c.ids)
		}
	}
}
