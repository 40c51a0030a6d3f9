package tokens

import (
	"strings"
	"testing"
)

func TestWordsCount(t *testing.T) {
	cases := []struct {
		text string
		want int
	}{
		{"", 0},
		{"   ", 0},
		{"one", 1},
		{"Transcribe this.", 2},
		{"  leading and trailing  ", 3},
		{"tabs\tand\nnew\r\nlines", 4},
		{"no\u00a0break\u2003em space", 4},
		{"héllo wörld, ünïcode", 3},
		{"a,b;c", 1},
	}
	for _, c := range cases {
		if got := (Words{}).Count(c.text); got != c.want {
			t.Errorf("Count(%q) = %d, want %d", c.text, got, c.want)
		}
		if got := len(strings.Fields(c.text)); got != c.want {
			t.Errorf("strings.Fields(%q) gives %d: the rule must match it", c.text, got)
		}
	}
	var c Counter = Words{}
	if c.Name() != "words" {
		t.Fatalf("Name = %q", c.Name())
	}
}

func BenchmarkWordsCount(b *testing.B) {
	text := strings.Repeat("shall I compare thee to a summer's day ", 100)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		(Words{}).Count(text)
	}
}
