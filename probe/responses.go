package probe

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// OpenAI Responses API events (/v1/responses), read as AIPerf's
// ResponsesEndpoint reads them: text, reasoning and function-call arguments
// deltas are responses, output_text.done carries the whole text again (counted only when no delta
// did), response.completed ends the stream (no [DONE] follows) with usage.
var (
	responseTextDelta = []byte(`"response.output_text.delta"`)
	responseReasoning = []byte(`"response.reasoning_text.delta"`)
	responseTextDone  = []byte(`"response.output_text.done"`)
	responseCompleted = []byte(`"response.completed"`)
	// A function call's arguments, streamed: tool-call text, counted as content.
	responseArgsDelta = []byte(`"response.function_call_arguments.delta"`)
)

// responseTypes are the events read, as quoted JSON values.
var responseTypes = [][]byte{responseTextDelta, responseReasoning, responseTextDone, responseCompleted, responseArgsDelta}

// eventType names the event, one of types (quoted JSON values): its SSE
// event line when the server sends one (OpenAI, vLLM and Anthropic do), else
// the quoted type value found in its data (a byte search: servers put "type"
// first or last, and nested objects carry types of their own). A quoted needle
// cannot match inside a string, where quotes are escaped.
func (s *stream) eventType(d []byte, types [][]byte) []byte {
	if len(s.eventName) > 0 {
		for _, t := range types {
			if string(t[1:len(t)-1]) == string(s.eventName) {
				return t
			}
		}
		return nil
	}
	for _, t := range types {
		if bytes.Contains(d, t) {
			return t
		}
	}
	return nil
}

// responsesEvent handles one Responses API event of type typ (quoted).
func (s *stream) responsesEvent(typ []byte, f *fields, d []byte, stamp time.Duration) {
	var n int
	switch {
	case typ == nil:
	case bytes.Equal(typ, responseTextDelta):
		if s.answer, n = appendString(s.answer, f.delta); n > 0 {
			s.respond(stamp, record.Content)
			s.textDeltas = true
		}
	case bytes.Equal(typ, responseArgsDelta):
		if s.answer, n = appendString(s.answer, f.delta); n > 0 {
			s.respond(stamp, record.Content)
		}
	case bytes.Equal(typ, responseReasoning):
		if s.reasoning, n = appendString(s.reasoning, f.delta); n > 0 {
			s.respond(stamp, record.Reasoning)
		}
	case bytes.Equal(typ, responseTextDone):
		// After text deltas it is the same text again: an empty response at
		// its stamp keeps the timings AIPerf keeps, and nothing is counted
		// twice. Function-call deltas do not carry it.
		if s.textDeltas {
			s.respond(stamp, record.Content)
		} else if s.answer, n = appendString(s.answer, f.text); n > 0 {
			s.respond(stamp, record.Content)
		}
	case bytes.Equal(typ, responseCompleted):
		s.done = true
		if f.usage != nil && !isNull(f.usage) {
			s.usage = append(s.usage[:0], d...)
		}
	}
}

// responsesBody reads a whole (non-streamed) Responses API answer: the
// output_text parts of its message items, and its reasoning summaries, else
// its function calls' names and arguments. It is
// decoded once per request, off the per-chunk path: the parts' key order is
// the server's, so a byte scan cannot tell their type from their text.
func (s *stream) responsesBody(d []byte, stamp time.Duration) {
	var body struct {
		Output []struct {
			Type    string `json:"type"`
			Content []struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"content"`
			Summary []struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"summary"`
			Name      string `json:"name"`      // a function_call's
			Arguments string `json:"arguments"` // a function_call's
		} `json:"output"`
		OutputText string `json:"output_text"`
	}
	if json.Unmarshal(d, &body) != nil {
		return
	}
	var kind record.ResponseKind
	for _, item := range body.Output {
		switch item.Type {
		case "message":
			for _, p := range item.Content {
				if p.Type == "output_text" && p.Text != "" {
					s.answer, kind = append(s.answer, p.Text...), kind|record.Content
				}
			}
		case "reasoning":
			for _, p := range item.Summary {
				if p.Type == "summary_text" && p.Text != "" {
					s.reasoning, kind = append(s.reasoning, p.Text...), kind|record.Reasoning
				}
			}
		}
	}
	if kind == 0 { // AIPerf counts function calls only in an answer without text or reasoning
		n := len(s.answer)
		for _, item := range body.Output {
			if item.Type == "function_call" {
				s.answer = append(append(s.answer, item.Name...), item.Arguments...)
			}
		}
		if len(s.answer) > n {
			kind = record.Content
		}
	}
	if kind == 0 && body.OutputText != "" {
		s.answer, kind = append(s.answer, body.OutputText...), record.Content
	}
	if kind != 0 {
		s.respond(stamp, kind)
	}
	if u := keyValue(d, `"usage"`); u != nil && !isNull(u) {
		s.usage = append(s.usage[:0], d...)
	}
}
