// Package clip repeats a user's value in an error message: whole when short,
// cut to a bounded head when long, so a 20 MB field is never copied onto one
// line. Every package that quotes a value read from the user (a file's field,
// a flag, a config key) quotes it through here.
package clip

import (
	"fmt"
	"strconv"

	"github.com/aiperf-exporter/aiperf-exporter/internal/oneline"
)

// Max is how many bytes of a user's value an error message repeats: enough
// to recognise it.
const Max = 100

// Quote is s as %q shows it; a longer value is cut to Max bytes, with an
// ellipsis and its full length.
func Quote(s string) string {
	head, cut := cutValue(s)
	if !cut {
		return strconv.Quote(s)
	}
	return fmt.Sprintf("%s (%d bytes)", strconv.Quote(head+"…"), len(s))
}

// Text is s unquoted, cut as Quote cuts it (for a value that is already a
// description, such as encoding/json's "number 1e20").
func Text(s string) string {
	head, cut := cutValue(s)
	if !cut {
		return s
	}
	return fmt.Sprintf("%s… (%d bytes)", head, len(s))
}

// cutValue is the first Max bytes of s, ending on a whole character, and
// whether that left anything out.
func cutValue(s string) (string, bool) {
	if len(s) <= Max {
		return s, false
	}
	return oneline.Cut(s, Max), true
}
