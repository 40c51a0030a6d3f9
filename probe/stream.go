package probe

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
	"unsafe"

	"github.com/aiperf-exporter/aiperf-exporter/httpclient"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

var (
	dataDone   = []byte("[DONE]")
	fieldData  = []byte("data")
	fieldEvent = []byte("event")
)

// stream holds the state of one response being read. Its buffers are reused
// across requests by the same worker, so reading a chunk allocates nothing once
// the buffers have grown to the usual response size.
type stream struct {
	start     time.Time
	responses []record.Response
	answer    []byte // joined answer text
	reasoning []byte // joined reasoning text
	data      []byte // the current event's data
	event     []byte // the current event's name
	long      []byte // a line longer than the reader's buffer
	usage     []byte // copy of the last event that carried a usage object
	stamp     time.Duration
	// arrival has the kernel stamps of the connection's reads (nil: none);
	// kernel says the current event's stamp came from it, userStamps counts the
	// responses stamped in userspace instead (stamps.go).
	arrival    *httpclient.Arrival
	kernel     bool
	userStamps int
	inEvent    bool
	afterCR    bool // the last line ended in a CR at the end of a chunk
	done       bool // saw [DONE] (or OpenAI's transcript.text.done)
	finished   bool // saw a finish_reason
	// eosStop: the finishing chunk said "stop" (or "eos_token") and carried no
	// text, as when the model stopped on its end-of-sequence token; timings:
	// that chunk had llama.cpp's timings object. See eosInUsage.
	eosStop, timings bool
	// textChoices: the answer is in choices[].text (completions), not in
	// a delta's or message's content; set per request by the engine.
	textChoices bool
	// responsesAPI: the answer comes as OpenAI Responses API events
	// (responses.go); eventName is the current event's SSE name, if any.
	responsesAPI bool
	eventName    []byte
	textDeltas   bool // saw a Responses output_text delta with text
	// comment is the current event's first comment line (hasComment: it had
	// one), the message AIPerf gives an error event.
	comment    []byte
	hasComment bool
	// messagesAPI: the answer comes as Anthropic Messages API events
	// (messages.go); startUsage is a copy of its message_start event, whose
	// usage has the input tokens its message_delta may leave out.
	messagesAPI bool
	startUsage  []byte
	// tokenIDs: the answer is token ids (tokenids.go), outputIDs their count,
	// or the server's count of them so far (SGLang's meta_info).
	tokenIDs  bool
	outputIDs int
	// results is the quoted key whose non-empty list answers an endpoint
	// that returns no text (embeddings' "data"); "" for the others. Set per
	// request by the engine.
	results string
	skipped int // malformed events
	err     *record.Error
	// hold is what the buffers reserve from the process-wide response budget
	// once they grow past keepBytes (budget.go); nil budget: none.
	hold reservation
	// longSpill and bodySpill hold s.long and the worker's non-streamed body
	// once they outgrow keepBytes (budget_spill.go); release frees them.
	longSpill, bodySpill spill

	// prefill is the request's --prefill-concurrency slot, given back at its
	// first token; set and finally released by sendTurn, untouched by reset.
	prefill prefillSlot
}

func (s *stream) reset(start time.Time) {
	s.start = start
	s.responses = s.responses[:0]
	s.answer, s.reasoning = s.answer[:0], s.reasoning[:0]
	s.data, s.event, s.long, s.usage = s.data[:0], s.event[:0], s.long[:0], s.usage[:0]
	s.startUsage, s.outputIDs = s.startUsage[:0], 0
	s.inEvent, s.afterCR, s.done, s.finished = false, false, false, false
	s.eosStop, s.timings = false, false
	s.skipped, s.err = 0, nil
	s.arrival, s.kernel, s.userStamps = nil, false, 0
	s.eventName, s.textDeltas = nil, false
	s.comment, s.hasComment = s.comment[:0], false
}

// Bounds of what one response may make the client hold. A server (or a proxy)
// that never ends a line or a body meets an error record naming the bound,
// instead of growing the client until it is killed. Variables only so tests
// can lower them.
var (
	// maxLineBytes bounds one SSE line (16 MiB). Real lines are a few hundred
	// bytes; a chunk carrying generated audio may reach a few MiB.
	maxLineBytes = 16 << 20
	// maxResponseBytes bounds a whole response (64 MiB): a non-streamed body,
	// or all the lines of a stream together, after any gzip decoding. Past
	// keepBytes a body or line grows in place in a mapping (budget_spill.go),
	// so RSS follows the bytes read; where there is none it grows by doubling
	// on the heap, and a response at the bound may cost three times that.
	maxResponseBytes = 64 << 20
)

// refusedError is a response the client stops reading: it crossed a bound, or
// comes in an encoding it cannot read. Its text says which.
type refusedError string

func (e refusedError) Error() string { return string(e) }

func lineTooLong() error {
	return refusedError(fmt.Sprintf("an SSE line is longer than the client's limit of %s", mib(maxLineBytes)))
}

func responseTooLarge() error {
	return refusedError(fmt.Sprintf("the response is larger than the client's limit of %s", mib(maxResponseBytes)))
}

// mib writes a byte count in MiB when it is a whole number of them.
func mib(n int) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// read consumes an SSE body, stamping each event when its first line arrives.
// Lines end in LF, CRLF or a bare CR, as the SSE specification allows. It
// returns the read error, if any (io.EOF is a clean end), or the bound crossed.
func (s *stream) read(br *bufio.Reader) error {
	total := 0
	for {
		chunk, err := br.ReadSlice('\n')
		if total += len(chunk); total > maxResponseBytes {
			return responseTooLarge()
		}
		if lerr := s.lines(chunk); lerr != nil {
			return lerr
		}
		if herr := s.covered(0); herr != nil {
			return herr
		}
		if err == nil || errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if len(s.long) > 0 { // the last line had no line ending
			s.line(s.long)
			s.long = s.long[:0]
		}
		s.dispatch() // an event not closed by a blank line still counts
		if errors.Is(err, io.EOF) {
			return s.covered(0) // the last event may have grown the answer
		}
		return err
	}
}

// lines handles the complete lines of chunk (at most one LF, at its end, and
// any number of CRs) and keeps an unfinished one in s.long.
func (s *stream) lines(chunk []byte) error {
	for len(chunk) > 0 {
		if s.afterCR { // a CR ended the last line: an LF right after it belongs to it
			s.afterCR = false
			if chunk[0] == '\n' {
				chunk = chunk[1:]
				continue
			}
		}
		end := bytes.IndexByte(chunk, '\r')
		if end < 0 && chunk[len(chunk)-1] == '\n' {
			end = len(chunk) - 1
		}
		if end < 0 { // no line ending yet: the line goes on in the next chunk
			if len(s.long)+len(chunk) > maxLineBytes {
				return lineTooLong()
			}
			s.long = append(s.longSpill.room(s.long, len(chunk), maxLineBytes), chunk...)
			return nil
		}
		line, next := chunk[:end], end+1
		if chunk[end] == '\r' {
			if next < len(chunk) && chunk[next] == '\n' {
				next++
			} else if next == len(chunk) {
				s.afterCR = true
			}
		}
		if len(s.long) > 0 {
			if len(s.long)+len(line) > maxLineBytes {
				return lineTooLong()
			}
			s.long = append(s.longSpill.room(s.long, len(line), maxLineBytes), line...)
			line = s.long
		}
		s.line(line)
		s.long = s.long[:0]
		chunk = chunk[next:]
	}
	return nil
}

// keepBytes is the most a worker's buffer keeps between requests: one huge
// response must not pin its memory for the rest of the run.
const keepBytes = 1 << 20

// held is the bytes the stream's buffers hold (their capacity), plus extra
// held beside them for the same response.
func (s *stream) held(extra int) int {
	return cap(s.answer) + cap(s.reasoning) + cap(s.data) + cap(s.event) + cap(s.long) + cap(s.usage) + cap(s.startUsage) + cap(s.comment) +
		cap(s.responses)*int(unsafe.Sizeof(record.Response{})) + extra
}

// covered makes the budget reservation cover the buffers (and extra bytes held
// beside them) once they grow past keepBytes, or says the budget is spent.
// Below that, and while the buffers do not grow, it costs a sum and a compare.
func (s *stream) covered(extra int) error {
	if n := s.held(extra); n > keepBytes && n > s.hold.reserved {
		return s.hold.cover(n)
	}
	return nil
}

// release drops the buffers one large response grew beyond keepBytes and
// gives back their reservation of the response budget.
func (s *stream) release() {
	s.hold.end()
	// s.comment is not here: it never outgrows maxCommentBytes.
	for _, b := range []*[]byte{&s.answer, &s.reasoning, &s.data, &s.event, &s.long, &s.usage, &s.startUsage} {
		if cap(*b) > keepBytes {
			*b = nil
		}
	}
	if cap(s.responses) > keepBytes/int(unsafe.Sizeof(record.Response{})) {
		s.responses = nil
	}
	s.longSpill.free() // s.long, the only slice of it, was dropped above
	s.bodySpill.free() // the worker dropped its body (send.go)
}

// growBody gives a non-streamed body being read more room, in bodySpill once
// it outgrows keepBytes, and asks the budget to cover it before it is written.
func (s *stream) growBody(b []byte) ([]byte, error) {
	b = s.bodySpill.room(b, 1, maxResponseBytes+1)
	return b, s.covered(cap(b))
}

// maxCommentBytes bounds the comment kept as an error event's message.
const maxCommentBytes = 1 << 10

// line handles one SSE line (with its line ending).
func (s *stream) line(line []byte) {
	line = trimEOL(line)
	if len(line) == 0 {
		s.dispatch()
		return
	}
	if line[0] == ':' { // comment
		if !s.hasComment { // kept short: a huge comment must not grow the heap
			c := bytes.TrimPrefix(line[1:], []byte(" "))
			s.comment, s.hasComment = append(s.comment[:0], c[:min(len(c), maxCommentBytes)]...), true
		}
		return
	}
	if !s.inEvent {
		s.stamp = s.now()
		s.inEvent = true
	}
	name, value, _ := bytes.Cut(line, []byte(":"))
	if len(value) > 0 && value[0] == ' ' {
		value = value[1:]
	}
	switch {
	case bytes.Equal(name, fieldData):
		if len(s.data) > 0 {
			s.data = append(s.data, '\n')
		}
		s.data = append(s.data, value...)
	case bytes.Equal(name, fieldEvent):
		s.event = append(s.event[:0], value...)
	}
}

// trimEOL drops the line ending (LF, CRLF or a stray CR).
func trimEOL(line []byte) []byte {
	for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	return line
}

// dispatch handles a complete event.
func (s *stream) dispatch() {
	hasComment := s.hasComment
	s.hasComment = false // a comment belongs to the event it is in
	if !s.inEvent {
		return
	}
	data, stamp := s.data, s.stamp
	isErrorEvent := string(s.event) == "error"
	s.eventName = s.event // read by message before the next line reuses it
	s.data, s.event, s.inEvent = s.data[:0], s.event[:0], false
	switch {
	case isErrorEvent:
		s.setEventError(data, hasComment)
	case len(data) == 0:
	case bytes.Equal(data, dataDone):
		s.done = true
	default:
		s.message(data, stamp)
	}
}

// message handles one JSON data payload: a chunk, a usage chunk or an error.
func (s *stream) message(data []byte, stamp time.Duration) {
	d := bytes.TrimSpace(data)
	if len(d) < 2 || d[0] != '{' || d[len(d)-1] != '}' {
		s.skipped++ // malformed: counted and skipped, the request stays valid
		return
	}
	var f fields
	scanFields(d, &f)
	if v := f.error; v != nil && !isNull(v) && f.choices == nil {
		s.setError(d)
		return
	}
	if bytes.HasPrefix(f.typ, transcriptEvent) {
		s.transcript(&f, d, stamp)
		return
	}
	if s.results != "" { // a list endpoint that streams: the Images API
		s.imageEvent(&f, stamp)
		return
	}
	if s.responsesAPI {
		s.responsesEvent(s.eventType(d, responseTypes), &f, d, stamp)
		return
	}
	if s.messagesAPI {
		s.messagesEvent(s.eventType(d, messagesTypes), &f, d, stamp)
		return
	}
	if s.tokenIDs {
		s.outputIDsEvent(&f, stamp)
		return
	}
	var kind record.ResponseKind
	var n int
	if s.answer, n = appendString(s.answer, f.content); n > 0 {
		kind |= record.Content
	} else if s.textChoices {
		if s.answer, n = appendString(s.answer, f.text); n > 0 {
			kind |= record.Content
		}
		// TGI's stream sends no [DONE]: its last token carries the whole
		// text in generated_text (null before), which ends the answer.
		if v := f.generatedText; v != nil && !isNull(v) {
			s.finished = true
		}
	}
	// vLLM wrote reasoning_content, then both names, then only reasoning;
	// SGLang sends reasoning_content null beside text elsewhere: the first
	// name with text wins, so text is never lost nor counted twice.
	if s.reasoning, n = appendString(s.reasoning, f.reasoningContent); n == 0 {
		s.reasoning, n = appendString(s.reasoning, f.reasoning)
	}
	if n > 0 {
		kind |= record.Reasoning
	} else if s.answer, n = appendToolCalls(s.answer, f.toolCalls); n > 0 {
		// AIPerf reads a chunk's tool calls only when it has no reasoning.
		kind |= record.Content
	}
	if kind != 0 {
		s.respond(stamp, kind)
	}
	if v := f.finishReason; v != nil && !isNull(v) {
		s.finished = true
		s.eosStop = kind&record.Content == 0 && (bytes.HasPrefix(v, []byte(`"stop"`)) || bytes.HasPrefix(v, []byte(`"eos_token"`)))
		s.timings = f.timings != nil
	}
	if v := f.usage; v != nil && !isNull(v) {
		s.usage = append(s.usage[:0], d...)
	}
}

var (
	transcriptEvent = []byte(`"transcript.text.`)
	transcriptDelta = []byte(`"transcript.text.delta"`)
	transcriptDone  = []byte(`"transcript.text.done"`)
)

// transcript handles OpenAI's streamed transcription events: each
// transcript.text.delta is a response; transcript.text.done (the whole text
// again, and usage) ends the stream, which sends no [DONE] after it.
func (s *stream) transcript(f *fields, d []byte, stamp time.Duration) {
	switch {
	case bytes.HasPrefix(f.typ, transcriptDelta):
		var n int
		if s.answer, n = appendString(s.answer, f.delta); n > 0 {
			s.respond(stamp, record.Content)
		}
	case bytes.HasPrefix(f.typ, transcriptDone):
		s.done = true
		if f.usage != nil && !isNull(f.usage) {
			s.usage = append(s.usage[:0], d...)
		}
	}
}

// imageCompleted ends the type of the Images API's last streamed event
// (image_generation.completed, image_edit.completed).
var imageCompleted = []byte(`.completed"`)

// imageEvent handles an event of a streamed image generation, as AIPerf's
// ImageGenerationEndpoint reads it: each event with a b64_json (a partial
// image, then the final one) is a response; the completed event, with
// usage, ends the stream, which OpenAI ends without [DONE].
func (s *stream) imageEvent(f *fields, stamp time.Duration) {
	if v := f.b64JSON; v != nil && !isNull(v) {
		s.respond(stamp, record.Content)
	}
	if t := f.typ; len(t) > 0 && t[0] == '"' {
		if end := bytes.IndexByte(t[1:], '"'); end >= 0 && bytes.HasSuffix(t[:end+2], imageCompleted) {
			s.done = true
		}
	}
	if obj := objectAt(f.usage); obj != nil { // kept alone: the event also holds the image
		s.usage = append(append(append(s.usage[:0], `{"usage":`...), obj...), '}')
	}
}

// eosInUsage reports whether the usage counts an end-of-sequence token the
// stream never sent as text, which a client tokenizer would not count: TGI
// (told by its x-compute-type header) and llama.cpp (its timings object) count
// it when the model stops on it.
func (s *stream) eosInUsage(tgi bool) bool { return s.eosStop && (tgi || s.timings) }

// whole handles a complete, non-streamed JSON body: a chat completion, or a
// transcription's {"text": ...}, whose text is the one answer. The body is
// read by byte scans, but first checked to be JSON (as AIPerf parses it): a
// body that is not (cut short, trailing garbage, nested deeper than a decoder
// takes) is no answer, whatever its reply type. The check runs after the
// body's arrival is stamped (its cost: docs/performance.md).
func (s *stream) whole(body []byte, stamp time.Duration) {
	d := bytes.TrimSpace(body)
	if !json.Valid(d) {
		return
	}
	if s.results != "" {
		s.resultList(d, stamp)
		return
	}
	if s.tokenIDs {
		s.tokenIDsBody(d, stamp)
		return
	}
	if s.textChoices && len(d) > 0 && d[0] == '[' { // TGI may answer [{"generated_text": ...}]
		d = objectAt(skipSpace(d[1:]))
	}
	s.message(d, stamp)
	if len(s.responses) > 0 || s.err != nil {
		return
	}
	if keyValue(d, `"choices"`) != nil {
		return
	}
	if s.responsesAPI { // the Responses API's whole answer
		s.responsesBody(d, stamp)
		return
	}
	if s.textChoices { // TGI's /generate: {"generated_text": ...}
		var n int
		if s.answer, n = appendString(s.answer, keyValue(d, `"generated_text"`)); n > 0 {
			s.respond(stamp, record.Content)
		}
		return
	}
	var n int
	if s.answer, n = appendString(s.answer, keyValue(d, `"text"`)); n > 0 {
		s.respond(stamp, record.Content)
	}
}

// resultList handles the whole body d (valid JSON, trimmed) of an endpoint
// that returns no text: it is one response when its results key (or the body
// itself, as TEI's rerank answers) is a non-empty list. Found by a byte scan:
// an embeddings body is mostly numbers and is never decoded.
func (s *stream) resultList(d []byte, stamp time.Duration) {
	list := d
	if len(d) > 0 && d[0] == '{' {
		var f fields
		scanFields(d, &f)
		if v := f.error; v != nil && !isNull(v) {
			s.setError(d)
			return
		}
		if v := f.usage; v != nil && !isNull(v) {
			s.usage = append(s.usage[:0], d...)
		} else if b := objectAt(keyValue(d, `"billed_units"`)); b != nil {
			// Cohere's usage is meta.billed_units; AIPerf reads its input_tokens as usage.
			s.usage = append(append(append(s.usage[:0], `{"usage":`...), b...), '}')
		}
		list = keyValue(d, s.results)
	}
	if len(list) > 0 && list[0] == '[' && len(skipSpace(list[1:])) > 0 && skipSpace(list[1:])[0] != ']' {
		s.respond(stamp, record.Content)
	}
}

// setEventError records an SSE error event as AIPerf's SSE reader does
// (inspect_message_for_error): code 502, its type, and its message prefixed
// "Error occurred in SSE response: ", the event's comment when it has one.
// Without one AIPerf dumps the whole event with its timestamp, a message of
// its own per request; the error's own message (or the data) is said here, so
// equal errors share one row of the error summary.
func (s *stream) setEventError(data []byte, hasComment bool) {
	if s.err != nil {
		return
	}
	s.setError(data)
	msg := s.err.Message
	if hasComment {
		msg = string(s.comment)
	}
	s.err = &record.Error{Code: 502, Type: "SSEResponseError", Message: "Error occurred in SSE response: " + msg}
}

// setError records a mid-stream error the way newer AIPerf does: the error's own
// code when it is an HTTP error code, else 502.
func (s *stream) setError(data []byte) {
	if s.err != nil {
		return
	}
	var body struct {
		Error json.RawMessage `json:"error"`
	}
	e := &record.Error{Code: 502, Type: "StreamError", Message: string(data)}
	if json.Unmarshal(data, &body) == nil && len(body.Error) > 0 {
		var obj struct {
			Message string          `json:"message"`
			Type    string          `json:"type"`
			Code    json.RawMessage `json:"code"`
		}
		if json.Unmarshal(body.Error, &obj) == nil {
			if obj.Message != "" {
				e.Message = obj.Message
			}
			if obj.Type != "" {
				e.Type = obj.Type
			}
			var code int
			if json.Unmarshal(obj.Code, &code) == nil && code >= 400 && code <= 599 {
				e.Code = code
			}
		} else {
			var msg string
			if json.Unmarshal(body.Error, &msg) == nil {
				e.Message = msg
			}
		}
	}
	s.err = e
}

// parseUsage reads the token counts of the saved usage chunk with the same
// byte scan as the hot path (once per request, but at thousands of requests a
// second a JSON decode here was a tenth of the client's CPU). Anything other
// than an object of integer counts gives nil, as a failed decode did.
func parseUsage(data []byte) *record.Usage {
	if len(data) == 0 {
		return nil
	}
	var f fields
	scanFields(data, &f)
	obj := objectAt(f.usage)
	if obj == nil {
		return nil
	}
	u := &record.Usage{}
	// OpenAI's transcription usage names them input_tokens and output_tokens.
	ok := intField(obj, `"input_tokens"`, &u.PromptTokens) &&
		intField(obj, `"output_tokens"`, &u.CompletionTokens) &&
		intField(obj, `"prompt_tokens"`, &u.PromptTokens) &&
		intField(obj, `"completion_tokens"`, &u.CompletionTokens) &&
		intField(objectAt(keyValue(obj, `"completion_tokens_details"`)), `"reasoning_tokens"`, &u.ReasoningTokens) &&
		intField(objectAt(keyValue(obj, `"prompt_tokens_details"`)), `"audio_tokens"`, &u.AudioTokens)
	if !ok {
		return nil
	}
	return u
}
