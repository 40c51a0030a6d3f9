package probe

import (
	"bytes"
	"unicode/utf8"
)

// The streaming hot path never decodes JSON: it finds the few keys it needs with
// a byte scan and unescapes string values straight into reused buffers.

// valueOf returns the bytes that follow `"key":` (spaces skipped), or nil.
// Keys are found by their quoted form, so "content" never matches inside
// "reasoning_content" and never inside a string value (where quotes are escaped).
func valueOf(data []byte, quotedKey []byte) []byte {
	for off := 0; ; {
		i := bytes.Index(data[off:], quotedKey)
		if i < 0 {
			return nil
		}
		rest := skipSpace(data[off+i+len(quotedKey):])
		if len(rest) > 0 && rest[0] == ':' {
			return skipSpace(rest[1:])
		}
		off += i + len(quotedKey)
	}
}

func skipSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
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
