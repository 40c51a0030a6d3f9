package clip

import (
	"strings"
	"testing"
)

func TestQuoteAndText(t *testing.T) {
	long := strings.Repeat("9", 250)
	for _, c := range []struct{ in, quoted, clipped string }{
		{"", `""`, ""},
		{"soon", `"soon"`, "soon"},
		{"a\tb", `"a\tb"`, "a\tb"},
		{long[:100], `"` + long[:100] + `"`, long[:100]},
		{long, `"` + long[:100] + `…" (250 bytes)`, long[:100] + "… (250 bytes)"},
		// A cut never splits a character: "é" is 2 bytes, the 100th byte starts one.
		{long[:99] + strings.Repeat("é", 10), `"` + long[:99] + `…" (119 bytes)`, long[:99] + "… (119 bytes)"},
	} {
		if got := Quote(c.in); got != c.quoted {
			t.Errorf("Quote(%.20q…) = %s, want %s", c.in, got, c.quoted)
		}
		if got := Text(c.in); got != c.clipped {
			t.Errorf("Text(%.20q…) = %s, want %s", c.in, got, c.clipped)
		}
	}
}
