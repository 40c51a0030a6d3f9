package oneline

import "testing"

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":        "plain text",
		"a\nb":              `a\nb`,
		"tab\there\r":       `tab\there\r`,
		"ünïcode ok":        "ünïcode ok",
		"bell\x07 and \x7f": `bell\a and \x7f`,
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCut(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"", 3, ""},
		{"abc", 3, "abc"},
		{"abcd", 3, "abc"},
		{"aé", 2, "a"},          // é is 2 bytes: not split
		{"a€b", 3, "a"},         // € is 3 bytes
		{"a€b", 4, "a€"},        // ends right after it
		{"€", 0, ""},            // nothing at all
		{"\xff\xfe", 1, "\xff"}, // not UTF-8: cut where asked
	} {
		if got := Cut(c.in, c.n); got != c.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
