package probe

// Tool calls are output: the function name and arguments a model writes are
// tokens it generated, and AIPerf counts them as text for TTFT, output tokens
// and ITL (src/aiperf/endpoints/openai_chat.py, extract_chat_response_data:
// every call's name then arguments, after any content of the same chunk).

var (
	keyName      = []byte("name")
	keyArguments = []byte("arguments")
)

// appendToolCalls appends the names and arguments of the tool_calls list at
// the start of v (unescaped, in order) to dst and reports how many bytes it
// appended. It walks the list's strings once, telling keys from values by the
// colon after them, so text inside a value never matches; nothing allocates
// beyond dst's growth.
func appendToolCalls(dst, v []byte) ([]byte, int) {
	if len(v) == 0 || v[0] != '[' {
		return dst, 0
	}
	n0, depth := len(dst), 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '[', '{':
			depth++
		case ']', '}':
			if depth--; depth == 0 {
				return dst, len(dst) - n0
			}
		case '"':
			end := stringEnd(v, i)
			if end < 0 {
				return dst, len(dst) - n0
			}
			key := v[i+1 : end]
			rest := skipSpace(v[end+1:])
			i = end
			if len(rest) == 0 || rest[0] != ':' {
				continue // a value
			}
			if string(key) == string(keyName) || string(key) == string(keyArguments) {
				dst, _ = appendString(dst, skipSpace(rest[1:]))
			}
		}
	}
	return dst, len(dst) - n0
}

// stringEnd returns the index of the quote closing the JSON string that
// starts at v[start], or -1 when it is not closed.
func stringEnd(v []byte, start int) int {
	for i := start + 1; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return -1
}
