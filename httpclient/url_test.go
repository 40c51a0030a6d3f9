package httpclient

import (
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
)

func TestEndpointURL(t *testing.T) {
	cases := []struct {
		in, full, name string
		named          bool
	}{
		{"localhost:8000", "http://localhost:8000/v1/chat/completions", "localhost:8000", false},
		{"http://127.0.0.1:9/", "http://127.0.0.1:9/v1/chat/completions", "127.0.0.1:9", false},
		{"https://user:pw@h.example/base", "https://user:pw@h.example/base/v1/chat/completions", "h.example", false},
		// name=URL: the name is the target label.
		{"gpu0=http://10.0.0.1:8000", "http://10.0.0.1:8000/v1/chat/completions", "gpu0", true},
		{"vllm-a.1_b=localhost:8000", "http://localhost:8000/v1/chat/completions", "vllm-a.1_b", true},
		// An '=' of the URL itself is never taken for a name.
		{"http://h:1/base?x=1", "http://h:1/base/v1/chat/completions?x=1", "h:1", false},
		// Azure-style: the query stays the query of every request, after the path.
		{"https://r.openai.azure.com/openai/deployments/d/?api-version=2024-06-01", "https://r.openai.azure.com/openai/deployments/d/v1/chat/completions?api-version=2024-06-01", "r.openai.azure.com", false},
		{"localhost:8000?api-version=1", "http://localhost:8000/v1/chat/completions?api-version=1", "localhost:8000", false},
	}
	for _, c := range cases {
		full, name, named, err := EndpointURL(c.in, "/v1/chat/completions")
		if err != nil || full != c.full || name != c.name || named != c.named {
			t.Errorf("%s: got %s %s %v %v", c.in, full, name, named, err)
		}
	}
	if _, _, _, err := EndpointURL("ftp://x", "/v1"); err == nil {
		t.Error("ftp accepted")
	}
	if r := redact.URL("gpu0=https://u:secret@h.example"); strings.Contains(r, "secret") || !strings.HasPrefix(r, "gpu0=") {
		t.Errorf("named URL redacted as %q", r)
	}
	for _, bad := range []string{"127.0.0.1:", "http://127.0.0.1:/v1", "u:pw-planted@127.0.0.1:"} {
		if _, _, _, err := EndpointURL(bad, "/v1"); err == nil || !strings.Contains(err.Error(), "empty port") || strings.Contains(err.Error(), "pw-planted") {
			t.Errorf("%s: error %v, want empty port", bad, err)
		}
	}
	if _, _, _, err := EndpointURL("gpu0=", "/v1"); err == nil {
		t.Error("a name without a URL accepted")
	}
	if _, _, _, err := EndpointURL("http://u:secret@[bad", "/v1"); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("bad URL error %v", err)
	}
}
