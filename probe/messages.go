package probe

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Anthropic Messages API events (/v1/messages), read as AIPerf's
// MessagesEndpoint reads them (src/aiperf/endpoints/anthropic_messages.py):
// a content_block_delta's text_delta is content, its thinking_delta reasoning,
// its input_json_delta (a tool's input, piece by piece) tool-call text, counted
// as content;
// message_start carries the input tokens' usage, message_delta the output's;
// message_stop ends the stream (no [DONE] follows). content_block_start/stop
// and ping carry no tokens; an error event is the stream's error (dispatch).
var (
	messageStart      = []byte(`"message_start"`)
	messageBlockDelta = []byte(`"content_block_delta"`)
	messageDelta      = []byte(`"message_delta"`)
	messageStop       = []byte(`"message_stop"`)
	messageWhole      = []byte(`"message"`) // a non-streamed answer
)

// messagesTypes are the events read, as quoted JSON values; the whole
// message last, as message_start's data holds a "message" of that type.
var messagesTypes = [][]byte{messageStart, messageBlockDelta, messageDelta, messageStop, messageWhole}

// messagesEvent handles one Messages API event of type typ (quoted).
func (s *stream) messagesEvent(typ []byte, f *fields, d []byte, stamp time.Duration) {
	var n int
	switch {
	case typ == nil:
	case bytes.Equal(typ, messageBlockDelta):
		if s.answer, n = appendString(s.answer, f.text); n > 0 {
			s.respond(stamp, record.Content)
		} else if s.reasoning, n = appendString(s.reasoning, f.thinking); n > 0 {
			s.respond(stamp, record.Reasoning)
		} else if s.answer, n = appendString(s.answer, f.partialJSON); n > 0 {
			s.respond(stamp, record.Content) // a tool's input: AIPerf's tool-call text
		}
	case bytes.Equal(typ, messageStart):
		if f.usage != nil && !isNull(f.usage) {
			s.startUsage = append(s.startUsage[:0], d...)
		}
	case bytes.Equal(typ, messageDelta):
		if f.usage != nil && !isNull(f.usage) {
			s.usage = append(s.usage[:0], d...)
		}
	case bytes.Equal(typ, messageStop):
		s.done = true
	case bytes.Equal(typ, messageWhole):
		s.messagesBody(d, stamp)
	}
}

// messagesBody reads a whole (non-streamed) message: its text and thinking
// content blocks, else its tool_use blocks' names and inputs. Decoded once per request, off the per-chunk path.
func (s *stream) messagesBody(d []byte, stamp time.Duration) {
	var body struct {
		Content []struct {
			Type     string          `json:"type"`
			Text     string          `json:"text"`
			Thinking string          `json:"thinking"`
			Name     string          `json:"name"`
			Input    json.RawMessage `json:"input"`
		} `json:"content"`
	}
	if json.Unmarshal(d, &body) != nil {
		return
	}
	var kind record.ResponseKind
	for _, b := range body.Content {
		switch {
		case b.Type == "text" && b.Text != "":
			s.answer, kind = append(s.answer, b.Text...), kind|record.Content
		case b.Type == "thinking" && b.Thinking != "":
			s.reasoning, kind = append(s.reasoning, b.Thinking...), kind|record.Reasoning
		}
	}
	if kind == 0 { // AIPerf counts tool_use blocks only in an answer without text or thinking
		n := len(s.answer)
		for _, b := range body.Content {
			if b.Type == "tool_use" {
				s.answer = appendToolInput(append(s.answer, b.Name...), b.Input)
			}
		}
		if len(s.answer) > n {
			kind = record.Content
		}
	}
	if kind != 0 {
		s.respond(stamp, kind)
	}
	if u := keyValue(d, `"usage"`); u != nil && !isNull(u) {
		s.usage = append(s.usage[:0], d...)
	}
}

// parsedUsage is the server's usage of the response: the last usage event's,
// its input tokens taken from message_start's when it has none (AIPerf folds
// the earlier usage's keys into the last one's the same way).
func (s *stream) parsedUsage() *record.Usage {
	u := parseUsage(s.usage)
	if len(s.startUsage) == 0 {
		return u
	}
	start := parseUsage(s.startUsage)
	switch {
	case u == nil:
		return start
	case start != nil && u.PromptTokens == 0:
		u.PromptTokens = start.PromptTokens
	}
	return u
}

// appendToolInput appends a tool_use block's input as AIPerf serialises it
// (compact JSON); an empty input ({} or absent) adds nothing, as in AIPerf.
func appendToolInput(dst []byte, input json.RawMessage) []byte {
	var b bytes.Buffer
	if json.Compact(&b, input) != nil || b.Len() == 0 || b.String() == "{}" || b.String() == "null" {
		return dst
	}
	return append(dst, b.Bytes()...)
}
