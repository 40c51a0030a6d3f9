package probe

import (
	"bytes"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// outputIDsEvent reads one event of SGLang's generate stream, as AIPerf's
// SGLangGenerateEndpoint does: an event with output_ids is a response. The
// output is meta_info.completion_tokens, the server's count so far (SGLang
// sends the ids whole in each event unless --incremental-streaming-output, so summing them
// would count some twice), else the ids summed.
// The ids are counted only without completion_tokens: the list grows with
// every event, so counting it each time would cost the whole answer again.
// Both keys come from the event's one scanFields pass.
func (s *stream) outputIDsEvent(f *fields, stamp time.Duration) {
	if !startsIntList(f.outputIDs) {
		return
	}
	s.respond(stamp, record.Content)
	done := 0
	if intValue(f.completionTokens, &done) && done > 0 {
		s.outputIDs = done
		return
	}
	s.outputIDs += intsIn(f.outputIDs)
}

// startsIntList reports whether v is a JSON list whose first item is an
// integer (a non-empty list of ids).
func startsIntList(v []byte) bool {
	if len(v) == 0 || v[0] != '[' {
		return false
	}
	rest := bytes.TrimLeft(v[1:], " \t\r\n")
	return len(rest) > 0 && (rest[0] == '-' || rest[0] >= '0' && rest[0] <= '9')
}

// tokenIDsBody reads vLLM's generate answer as AIPerf's VllmGenerateEndpoint
// does: choices[0].token_ids, a list of integers, is the output (its length
// the output tokens; there is no text). An error body is the request's error.
// A byte scan: the first "token_ids" key is the first choice's.
func (s *stream) tokenIDsBody(body []byte, stamp time.Duration) {
	d := bytes.TrimSpace(body)
	var f fields
	scanFields(d, &f)
	if v := f.error; v != nil && !isNull(v) {
		s.setError(d)
		return
	}
	if n := intsIn(keyValue(d, `"token_ids"`)); n > 0 {
		s.outputIDs = n
		s.respond(stamp, record.Content)
	}
}

// intsIn counts the integers of the JSON list at the start of v (0 when v is
// not a list of integers).
func intsIn(v []byte) int {
	if len(v) == 0 || v[0] != '[' {
		return 0
	}
	n, digits := 0, false
	for _, c := range v[1:] {
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c == '-' && !digits:
		case c == ',' && digits:
			n, digits = n+1, false
		case c == ']' && digits:
			return n + 1
		case isSpace(c):
		default:
			return 0
		}
	}
	return 0
}
