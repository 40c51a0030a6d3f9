package inputs

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// maxQuoted is how many bytes of a user's value an error message repeats:
// enough to recognise it, never a 20 MB field copied onto one line.
const maxQuoted = 100

// quoted is s as %q shows it; a longer value is cut to maxQuoted bytes, with
// an ellipsis and its full length. Every error that quotes a value read from
// the user (a file's field, a flag) quotes it through here.
func quoted(s string) string {
	head, cut := cutValue(s)
	if !cut {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s (%d bytes)", strconv.Quote(head+"…"), len(s))
}

// clipped is s unquoted, cut as quoted cuts it (for a value that is already
// a description, such as encoding/json's "number 1e20").
func clipped(s string) string {
	head, cut := cutValue(s)
	if !cut {
		return s
	}
	return fmt.Sprintf("%s… (%d bytes)", head, len(s))
}

// cutValue is the first maxQuoted bytes of s, ending on a whole character, and
// whether that left anything out.
func cutValue(s string) (string, bool) {
	if len(s) <= maxQuoted {
		return s, false
	}
	n := maxQuoted
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n], true
}
