package options

import (
	"strings"
	"testing"
)

// URLs given with credentials are echoed without them, in both flag forms and
// in comma lists; URLs without credentials (or with @ in the path) stay as given.
func TestEchoCommandRedactsURLCredentials(t *testing.T) {
	cases := []struct{ in []string }{
		{[]string{"--url", "https://user:hunter2@llm.example:8443/base"}},
		{[]string{"--url=http://u:hunter2@a:1,http://b:2/p@q"}},
		{[]string{"-u", "user:hunter2@host:8000"}},
		{[]string{"--proxy-url", "http://proxyuser:hunter2@proxy:3128"}},
		{[]string{"--otel-url", "https://user:hunter2@collector:4318"}},
		{[]string{"--mlflow-tracking-uri=https://user:hunter2@mlflow.example"}},
	}
	for _, c := range cases {
		got := EchoCommand(c.in)
		if strings.Contains(got, "hunter2") || strings.Contains(got, "user:") {
			t.Errorf("%q echoed as %s", c.in, got)
		}
		if !strings.Contains(got, "redacted@") {
			t.Errorf("%q: no redaction marker in %s", c.in, got)
		}
	}
	if got := EchoCommand([]string{"--url=http://u:pw@a:1,http://b:2/p@q"}); got != `--url='http://redacted@a:1,http://b:2/p@q'` {
		t.Errorf("got %s", got)
	}
	// A secret in the query (Azure's api-key, a SAS sig) is redacted too; the rest stays.
	if got := EchoCommand([]string{"--url", "https://r.example/openai?api-version=1&api-key=hunter2"}); got != `--url 'https://r.example/openai?api-version=1&api-key=redacted'` {
		t.Errorf("got %s", got)
	}
	if got := EchoCommand([]string{"--url", "http://localhost:8000"}); got != `--url 'http://localhost:8000'` {
		t.Errorf("got %s", got)
	}
}
