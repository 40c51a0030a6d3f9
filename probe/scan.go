package probe

import (
	"bytes"
	"unicode/utf8"
)

// The streaming hot path never decodes JSON: it finds the few keys it needs with
// a byte scan and unescapes string values straight into reused buffers.

// fields are the values of the keys the hot path reads, found in one pass
// (nil when absent). Each is the first occurrence of its key, as valueOf gives;
// a text slot's is its first string value (textSlot).
type fields struct {
	content, reasoningContent, reasoning []byte
	finishReason, usage, error, choices  []byte
	// typ and delta carry OpenAI's transcript.text.* events; timings marks
	// llama.cpp's final chunk (its usage counts the end-of-sequence token).
	typ, delta, timings []byte
	// text is a completion choice's text (/v1/completions), read only when
	// the stream's endpoint answers so (stream.textChoices); generatedText
	// is TGI's whole answer, sent with its last token.
	text, generatedText []byte
	// thinking is an Anthropic thinking_delta's text (messages.go).
	thinking []byte
	// b64JSON is an image of the Images API's streamed events.
	b64JSON []byte
	// outputIDs and completionTokens are an SGLang generate event's new ids
	// and its meta_info count so far (tokenids.go); completion_tokens is also
	// usage's, read whole by parseUsage.
	outputIDs, completionTokens []byte
	// toolCalls is a chat delta's or message's tool_calls list, whose
	// function names and arguments are output text (toolcalls.go);
	// partialJSON is an Anthropic input_json_delta's piece of a tool's input.
	toolCalls, partialJSON []byte
}

// scanFields fills f from one JSON object in a single forward pass: it jumps
// from colon to colon (bytes.IndexByte) and identifies the key just before each
// by its last letter, so a chunk costs about one comparison per key it holds
// instead of one full search per wanted key. A key must be a quoted name not
// preceded by a backslash, so text inside string values (where quotes are
// escaped) never matches.
func scanFields(d []byte, f *fields) {
	*f = fields{}
	for i := 0; i < len(d); {
		j := bytes.IndexByte(d[i:], ':')
		if j < 0 {
			return
		}
		colon := i + j
		i = colon + 1
		k := colon - 1
		for k > 0 && isSpace(d[k]) {
			k--
		}
		if k < 2 || d[k] != '"' {
			continue
		}
		dst := keySlot(d[:k], f)
		if dst == nil || *dst != nil {
			continue
		}
		v := skipSpace(d[colon+1:])
		if (len(v) == 0 || v[0] != '"') && textSlot(dst, f) {
			continue
		}
		*dst = v
	}
}

// textSlot reports whether dst holds answer text, read only as a string: it
// keeps its key's first string value, so a list, object or null written
// before (logprobs' "content", a list or null, some servers put before the
// delta) does not hide the text.
func textSlot(dst *[]byte, f *fields) bool {
	return dst == &f.content || dst == &f.reasoningContent || dst == &f.reasoning || dst == &f.thinking || dst == &f.text
}

// keySlot returns where the value of the key that ends at the end of name
// (the bytes before its closing quote) goes, or nil for keys not wanted.
func keySlot(name []byte, f *fields) *[]byte {
	switch name[len(name)-1] {
	case 't':
		if isKey(name, "text") {
			return &f.text
		}
		if isKey(name, "generated_text") {
			return &f.generatedText
		}
		if !hasKey(name, "content") {
			return nil
		}
		if isKeyStart(name, len(name)-len("content")) {
			return &f.content
		}
		if isKey(name, "reasoning_content") {
			return &f.reasoningContent
		}
	case 'g':
		if isKey(name, "reasoning") {
			return &f.reasoning
		}
		if isKey(name, "thinking") {
			return &f.thinking
		}
	case 'n':
		if isKey(name, "finish_reason") {
			return &f.finishReason
		}
		if isKey(name, "b64_json") {
			return &f.b64JSON
		}
		if isKey(name, "partial_json") {
			return &f.partialJSON
		}
	case 'e':
		if isKey(name, "usage") {
			return &f.usage
		}
		if isKey(name, "type") {
			return &f.typ
		}
	case 'a':
		if isKey(name, "delta") {
			return &f.delta
		}
	case 'r':
		if isKey(name, "error") {
			return &f.error
		}
	case 's':
		if isKey(name, "choices") {
			return &f.choices
		}
		if isKey(name, "timings") {
			return &f.timings
		}
		if isKey(name, "output_ids") {
			return &f.outputIDs
		}
		if isKey(name, "completion_tokens") {
			return &f.completionTokens
		}
		if isKey(name, "tool_calls") {
			return &f.toolCalls
		}
	}
	return nil
}

// isKey reports whether name ends with the whole quoted key: key, with an
// unescaped opening quote before it.
func isKey(name []byte, key string) bool {
	return hasKey(name, key) && isKeyStart(name, len(name)-len(key))
}

// hasKey reports whether name ends with key.
func hasKey(name []byte, key string) bool {
	return len(name) >= len(key) && string(name[len(name)-len(key):]) == key
}

// isKeyStart reports whether an unescaped opening quote sits just before off.
func isKeyStart(name []byte, off int) bool {
	return off >= 1 && name[off-1] == '"' && (off < 2 || name[off-2] != '\\')
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// keyValue returns the value of the first top-level-or-nested key quotedKey
// in obj (a JSON object), or nil. Used off the per-chunk path only.
func keyValue(obj []byte, quotedKey string) []byte {
	for off := 0; off < len(obj); {
		i := bytes.Index(obj[off:], []byte(quotedKey))
		if i < 0 {
			return nil
		}
		at := off + i
		rest := skipSpace(obj[at+len(quotedKey):])
		if len(rest) > 0 && rest[0] == ':' && (at == 0 || obj[at-1] != '\\') {
			return skipSpace(rest[1:])
		}
		off = at + len(quotedKey)
	}
	return nil
}

// objectAt returns the JSON object that v starts with, braces included, or
// nil when v does not start with one or it is not closed.
func objectAt(v []byte) []byte {
	if len(v) == 0 || v[0] != '{' {
		return nil
	}
	depth, inString := 0, false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth--; depth == 0 {
				return v[:i+1]
			}
		}
	}
	return nil
}

// intField sets *dst to the integer value of quotedKey in obj and reports
// whether the value, when present, is an integer. An absent key (or a nil obj)
// leaves *dst alone and is fine.
func intField(obj []byte, quotedKey string, dst *int) bool {
	return intValue(keyValue(obj, quotedKey), dst)
}

// intValue is intField on a value already found (v, nil when absent).
func intValue(v []byte, dst *int) bool {
	if v == nil || isNull(v) {
		return true
	}
	neg := len(v) > 0 && v[0] == '-'
	if neg {
		v = v[1:]
	}
	n, digits := 0, 0
	for ; digits < len(v) && v[digits] >= '0' && v[digits] <= '9'; digits++ {
		n = n*10 + int(v[digits]-'0')
	}
	if digits == 0 || digits > 18 || (digits < len(v) && (v[digits] == '.' || v[digits] == 'e' || v[digits] == 'E')) {
		return false
	}
	if neg {
		n = -n
	}
	*dst = n
	return true
}

func skipSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return b
}

// appendString appends the JSON string at the start of v (unescaped) to dst and
// reports how many bytes it appended; a non-string value (null, number) adds none.
func appendString(dst, v []byte) ([]byte, int) {
	if len(v) == 0 || v[0] != '"' {
		return dst, 0
	}
	n0 := len(dst)
	for i := 1; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '"':
			return dst, len(dst) - n0
		case c != '\\':
			// Copy the run of plain bytes up to the next quote or escape.
			j := i + 1
			for j < len(v) && v[j] != '"' && v[j] != '\\' {
				j++
			}
			dst = append(dst, v[i:j]...)
			i = j - 1
		case i+1 < len(v):
			i++
			switch v[i] {
			case 'n':
				dst = append(dst, '\n')
			case 't':
				dst = append(dst, '\t')
			case 'r':
				dst = append(dst, '\r')
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'u':
				r, used := decodeU(v[i+1:])
				dst = utf8.AppendRune(dst, r)
				i += used
			default: // \" \\ \/
				dst = append(dst, v[i])
			}
		}
	}
	return dst, len(dst) - n0 // unterminated: keep what we have
}

// decodeU decodes the hex digits after `\u` (and a following low surrogate).
func decodeU(b []byte) (rune, int) {
	r, ok := hex4(b)
	if !ok {
		return utf8.RuneError, 0
	}
	if r >= 0xD800 && r < 0xDC00 && len(b) >= 10 && b[4] == '\\' && b[5] == 'u' {
		if lo, ok := hex4(b[6:]); ok && lo >= 0xDC00 && lo < 0xE000 {
			return (r-0xD800)<<10 + (lo - 0xDC00) + 0x10000, 10
		}
	}
	return r, 4
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// isNull reports whether the value at v is JSON null.
func isNull(v []byte) bool { return bytes.HasPrefix(v, []byte("null")) }
