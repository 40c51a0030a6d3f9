package mockserver

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// sglangRequest is SGLang's GenerateReqInput as the mock reads it
// (python/sglang/srt/managers/io_struct.py): a token-in prompt, the length
// asked in sampling_params, stream.
type sglangRequest struct {
	InputIDs       []int `json:"input_ids"`
	SamplingParams struct {
		MaxNewTokens *int `json:"max_new_tokens"`
	} `json:"sampling_params"`
	Stream bool `json:"stream"`
}

// handleSGLang answers a /generate body with input_ids as SGLang's
// http_server.py generate_request does: one JSON object, or one "data:" event
// per token ({"text", "output_ids", "meta_info"}, the text and ids whole so
// far, as SGLang sends them without --incremental-streaming-output, formerly
// --stream-output; "index" is only in a batch's events) and [DONE].
func (s *Server) handleSGLang(w http.ResponseWriter, r *http.Request, body []byte, arrival time.Time, cfg Config, tr *Truth) {
	tr.Endpoint = "sglang_generate"
	var req sglangRequest
	err := decodeJSON(body, &req)
	if err == nil && len(req.InputIDs) == 0 {
		err = invalid("input_ids must be a non-empty list of integers")
	}
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	tr.Stream = req.Stream
	n, finish, err := outputLength(limitedBy("max_new_tokens", req.SamplingParams.MaxNewTokens), cfg, len(req.InputIDs), s.uniform)
	if err != nil {
		s.reject(w, err, tr)
		return
	}
	e := newSGLangEvents(tr.RequestID, len(req.InputIDs), finish, makeTokens([]string{sglangWord}, n))
	if req.Stream {
		if err := e.streamFits(); err != nil {
			s.reject(w, err, tr)
			return
		}
	}
	tr.PromptTokens, tr.CompletionTokens, tr.FinishReason = e.prompt, n, finish
	s.reply(w, r, e.tokens, req.Stream, e, streamOpts{cfg: cfg, arrival: arrival}, tr)
}

// sglangWord is every token of the mock's SGLang answers.
const sglangWord = "tok"

// maxSGLangStreamBytes bounds a streamed SGLang answer. Each event resends
// the answer so far, so the bytes grow with the square of the tokens (about
// 4.5·n²): past this, the exporter's own whole-stream limit (64 MiB), a
// stream measures nothing and only costs the machine.
const maxSGLangStreamBytes = 64 << 20

// sglangFrame is what every streamed event holds besides its text, ids,
// request id, finish reason and counts.
const sglangFrame = `data: {"text":"","output_ids":[],"meta_info":{"id":,"finish_reason":,"prompt_tokens":,"completion_tokens":}}` + "\n\n"

// maxStreamTokens is the most tokens e's stream may hold within bound bytes,
// [DONE] included, counted from the event layout without building one.
func (e *sglangEvents) maxStreamTokens(bound int64) int {
	fixed := int64(len(sglangFrame) + len(e.rid) + digits(e.prompt))
	last := int64(len(`{"type":""}`) + len(e.finish)) // the last event's finish_reason
	total := int64(len("data: [DONE]\n\n"))
	var text, ids int64
	for k := 1; ; k++ {
		text += int64(len(sglangWord))
		ids += int64(digits(999 + k)) // token k-1's id
		if k > 1 {
			text++ // the space before it
			ids++  // the comma
		}
		event := fixed + text + ids + int64(digits(k))
		if total+event+last > bound {
			return k - 1
		}
		total += event + int64(len("null"))
	}
}

// streamFits refuses (400) a stream of e that would pass maxSGLangStreamBytes.
func (e *sglangEvents) streamFits() error {
	if most := e.maxStreamTokens(maxSGLangStreamBytes); len(e.tokens) > most {
		return invalid("a streamed answer of %d tokens would pass %d bytes, as each SGLang event resends the answer so far: max_new_tokens must be at most %d",
			len(e.tokens), maxSGLangStreamBytes, most)
	}
	return nil
}

// digits is how many decimal digits x ≥ 0 has.
func digits(x int) int {
	n := 1
	for ; x >= 10; x /= 10 {
		n++
	}
	return n
}

// sglangEvents are SGLang's generate stream events. Each carries the text
// and ids whole so far, so they are kept as JSON and each token appends its
// own: building n events costs O(n), not the O(n²) of rebuilding every
// event from the start (the bytes written still grow, as SGLang's do).
type sglangEvents struct {
	rid       []byte // the request id, a JSON string
	finish    string
	prompt    int
	tokens    []string
	text, ids []byte // the text so far, JSON-escaped without its quotes, and the ids so far, comma-separated
	done      int    // tokens appended to text and ids
	frame     []byte // the event being written, reused
}

func newSGLangEvents(rid string, prompt int, finish string, tokens []string) *sglangEvents {
	q, _ := json.Marshal(rid) // a string always marshals
	return &sglangEvents{rid: q, finish: finish, prompt: prompt, tokens: tokens}
}

// add appends token i's text and id.
func (e *sglangEvents) add(i int) {
	if i > 0 {
		e.text = append(e.text, ' ')
		e.ids = append(e.ids, ',')
	}
	q, _ := json.Marshal(e.tokens[i])
	e.text = append(e.text, q[1:len(q)-1]...)
	e.ids = strconv.AppendInt(e.ids, int64(1000+i), 10)
	e.done = i + 1
}

// appendJSON appends the answer so far, SGLang's out dict in its order: the
// text and ids so far, and meta_info with the finish reason on the last token.
func (e *sglangEvents) appendJSON(b []byte) []byte {
	b = append(append(append(b, `{"text":"`...), e.text...), `","output_ids":[`...)
	b = append(append(b, e.ids...), `],"meta_info":{"id":`...)
	b = append(append(b, e.rid...), `,"finish_reason":`...)
	if e.done == len(e.tokens) {
		fin, _ := json.Marshal(e.finish)
		b = append(append(append(b, `{"type":`...), fin...), '}')
	} else {
		b = append(b, "null"...)
	}
	b = strconv.AppendInt(append(b, `,"prompt_tokens":`...), int64(e.prompt), 10)
	b = strconv.AppendInt(append(b, `,"completion_tokens":`...), int64(e.done), 10)
	return append(b, "}}"...)
}

// whole is the non-streamed answer: the last event's body.
func (e *sglangEvents) whole() any {
	all := newSGLangEvents("", e.prompt, e.finish, e.tokens)
	all.rid = e.rid
	for i := range all.tokens {
		all.add(i)
	}
	return json.RawMessage(all.appendJSON(nil))
}

func (*sglangEvents) head(sse) {}

func (e *sglangEvents) token(ev sse, i int, _ string) {
	e.add(i)
	e.frame = append(e.appendJSON(append(e.frame[:0], "data: "...)), "\n\n"...)
	ev.write(e.frame)
}

func (*sglangEvents) tail(ev sse) { ev.data([]byte("[DONE]")) }
