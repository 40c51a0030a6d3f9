// Package oneline keeps text that came from a server (an error reply, a
// message) on one line where it is quoted: a log line, a warning, an error.
// A leaf, so the daemon's log and the uploads' errors share one rule.
package oneline

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Escape escapes control characters (a newline above all) in s, so text
// from a server cannot start a forged line; s without any comes back as is.
func Escape(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) < 0 {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// Cut is at most the first n bytes of s, ending on a character boundary so
// no UTF-8 character is split.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
