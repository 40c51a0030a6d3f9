package probe

import (
	"strings"
	"testing"
)

func TestEndpointURL(t *testing.T) {
	cases := []struct{ in, full, name string }{
		{"localhost:8000", "http://localhost:8000/v1/chat/completions", "localhost:8000"},
		{"http://127.0.0.1:9/", "http://127.0.0.1:9/v1/chat/completions", "127.0.0.1:9"},
		{"https://user:pw@h.example/base", "https://user:pw@h.example/base/v1/chat/completions", "h.example"},
	}
	for _, c := range cases {
		full, name, err := endpointURL(c.in, "/v1/chat/completions")
		if err != nil || full != c.full || name != c.name {
			t.Errorf("%s: got %s %s %v", c.in, full, name, err)
		}
	}
	if _, _, err := endpointURL("ftp://x", "/v1"); err == nil {
		t.Error("ftp accepted")
	}
	if _, _, err := endpointURL("http://u:secret@[bad", "/v1"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("bad URL error %v", err)
	}
}
