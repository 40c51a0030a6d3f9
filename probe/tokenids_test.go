package probe

import (
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
