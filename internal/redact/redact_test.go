package redact

import (
	"strings"
	"testing"
)

func TestURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"http://h:1/v1", "http://h:1/v1"},
		{"https://u:pw-planted@h.example/base", "https://redacted@h.example/base"},
		// Without a scheme the password leaked into the JSON export before.
		{"u:pw-planted@127.0.0.1:8000", "redacted@127.0.0.1:8000"},
		{"gpu0=u:pw-planted@127.0.0.1:8000", "gpu0=redacted@127.0.0.1:8000"},
		{"gpu0=https://u:pw-planted@h", "gpu0=https://redacted@h"},
		{"https://x.openai.azure.com/openai?api-version=2024-06-01&api-key=pw-planted",
			"https://x.openai.azure.com/openai?api-version=2024-06-01&api-key=redacted"},
		{"http://h/p?sig=pw-planted&se=2030&sv=1#frag", "http://h/p?sig=redacted&se=2030&sv=1#frag"},
		{"http://h/p?code=pw-planted", "http://h/p?code=redacted"},
		{"h:1?access_token=pw-planted&x=1", "h:1?access_token=redacted&x=1"},
		{"http://u:pw-planted@[bad", "http://redacted@[bad"},
		{"http://h/a@b", "http://h/a@b"}, // an @ in the path is not user info
	}
	for _, c := range cases {
		got := URL(c.in)
		if got != c.want || strings.Contains(got, "pw-planted") {
			t.Errorf("URL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"Authorization": true, "api-key": true, "X-Api-Key": true, "key": true, "token": true,
		"sig": true, "code": true, "client_secret": true, "Cookie": true, "x-goog-signature": true,
		"password": true, "api-version": false, "model": false, "X-Tenant": false, "se": false,
	} {
		if SecretName(name) != want {
			t.Errorf("SecretName(%q) = %v", name, !want)
		}
	}
}
