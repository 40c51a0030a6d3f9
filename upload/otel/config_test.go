package otel

import (
	"maps"
	"strings"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{"localhost:4318", "http://localhost:4318/v1/metrics", ""},
		{"http://collector:4318/", "http://collector:4318/v1/metrics", ""},
		{"https://c.example/otlp", "https://c.example/otlp/v1/metrics", ""},
		{"http://c:4318/v1/metrics/", "http://c:4318/v1/metrics", ""},
		{"  ", "", "cannot be empty"},
		{"http://:4318", "", "not host[:port]"},
		{"grpc://c:4317", "", "only http and https"},
		{"grpc://u:s3cret@c:4317", "", "only http and https"},
		{"http://u:s3cret@:4318", "", "not host[:port]"},
	} {
		got, err := NormalizeURL(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("NormalizeURL(%q) error %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestParseStream(t *testing.T) {
	for _, c := range []struct {
		in              []string
		metrics, timing bool
		bad             bool
	}{
		{nil, true, true, false},
		{[]string{"default"}, true, true, false},
		{[]string{"metrics"}, true, false, false},
		{[]string{"timing"}, false, true, false},
		{[]string{"metrics", "timing"}, true, true, false},
		{[]string{"metrics", "none"}, false, false, false},
		{[]string{"spans"}, false, false, true},
	} {
		m, tm, err := ParseStream(c.in)
		if (err != nil) != c.bad || m != c.metrics || tm != c.timing {
			t.Errorf("ParseStream(%q) = %v, %v, %v", c.in, m, tm, err)
		}
	}
}

func TestParseResourceAttributes(t *testing.T) {
	got, err := ParseResourceAttributes([]string{"team=perf, env = ci", "env=prod"})
	if err != nil || !maps.Equal(got, map[string]string{"team": "perf", "env": "prod"}) {
		t.Errorf("got %v, %v", got, err)
	}
	for _, bad := range []string{"team", "=x", "team="} {
		if _, err := ParseResourceAttributes([]string{bad}); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestProvider(t *testing.T) {
	for _, c := range []struct {
		override string
		urls     []string
		want     string
	}{
		{"", []string{"https://api.openai.com/v1/chat/completions"}, "openai"},
		{"", []string{"http://127.0.0.1:8000/v1/chat/completions", "https://my.openai.azure.com/x"}, "azure.ai.openai"},
		{"", []string{"http://127.0.0.1:8000/v1/chat/completions"}, "_OTHER"},
		{"vllm", []string{"https://api.openai.com/"}, "vllm"},
	} {
		if got := Provider(c.override, c.urls); got != c.want {
			t.Errorf("Provider(%q, %q) = %q, want %q", c.override, c.urls, got, c.want)
		}
	}
}

func TestOperation(t *testing.T) {
	for in, want := range map[string]string{"chat": "chat", "completions": "text_completion", "embeddings": "embeddings", "audio_transcription": "chat"} {
		if got := Operation(in); got != want {
			t.Errorf("Operation(%q) = %q, want %q", in, got, want)
		}
	}
}
