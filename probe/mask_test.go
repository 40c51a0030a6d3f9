package probe

import (
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/prometheus/common/config"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Every form of a credential the client sends is masked in an error text that
// echoes it; ordinary text and short values stay.
func TestMaskSecrets(t *testing.T) {
	file := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(file, []byte("file-token-123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	basic := base64.StdEncoding.EncodeToString([]byte("alice:url-pass-456"))
	oauthBasic := base64.StdEncoding.EncodeToString([]byte("app:cs%2F9%2Bx%3Dy"))
	cases := []struct {
		name    string
		hc      config.HTTPClientConfig
		header  http.Header
		targets []Target
		msg     string
		want    string
	}{
		{"bearer credentials", config.HTTPClientConfig{Authorization: &config.Authorization{Type: "Bearer", Credentials: "sk-secret-1"}},
			nil, nil, "bad key sk-secret-1 given", "bad key <redacted> given"},
		{"credentials file", config.HTTPClientConfig{Authorization: &config.Authorization{Type: "Bearer", CredentialsFile: file}},
			nil, nil, `{"error":"token file-token-123 revoked"}`, `{"error":"token <redacted> revoked"}`},
		{"basic auth password and its base64", config.HTTPClientConfig{BasicAuth: &config.BasicAuth{Username: "alice", Password: "url-pass-456"}},
			nil, nil, "got Basic " + basic + " for url-pass-456", "got Basic <redacted> for <redacted>"},
		{"api key header", config.HTTPClientConfig{}, http.Header{"X-Api-Key": {"k-777-abc"}}, nil,
			"X-Api-Key: k-777-abc\nrejected", "X-Api-Key: <redacted>\nrejected"},
		{"authorization header, whole and token", config.HTTPClientConfig{}, http.Header{"Authorization": {"Bearer tok-999"}}, nil,
			"[Bearer tok-999] [tok-999]", "[<redacted>] [<redacted>]"},
		{"password in a target URL", config.HTTPClientConfig{}, nil, []Target{{Name: "a", URL: "http://alice:url-pass-456@127.0.0.1:1/v1"}},
			"Authorization: Basic " + basic, "Authorization: Basic <redacted>"},
		{"http_headers secrets and files, whatever the name", config.HTTPClientConfig{HTTPHeaders: &config.Headers{Headers: map[string]config.Header{
			"X-Tenant": {Secrets: []config.Secret{"tenant-secret-1"}, Files: []string{file}}, "X-Plain": {Values: []string{"plain-value"}}}}},
			nil, nil, "tenant-secret-1 file-token-123 plain-value", "<redacted> <redacted> plain-value"},
		{"http_headers values of a credential header", config.HTTPClientConfig{HTTPHeaders: &config.Headers{Headers: map[string]config.Header{
			"Authorization": {Values: []string{"Bearer hh-token-42"}}}}},
			nil, nil, "[Bearer hh-token-42] [hh-token-42]", "[<redacted>] [<redacted>]"},
		{"oauth2 client secret, plain, query-escaped and in basic auth", config.HTTPClientConfig{OAuth2: &config.OAuth2{
			ClientID: "app", ClientSecret: "cs/9+x=y", TokenURL: "http://127.0.0.1:1/token"}},
			nil, nil, "secret cs/9+x=y form client_secret=cs%2F9%2Bx%3Dy basic " + oauthBasic,
			"secret <redacted> form client_secret=<redacted> basic <redacted>"},
		{"oauth2 client secret file", config.HTTPClientConfig{OAuth2: &config.OAuth2{
			ClientID: "app", ClientSecretFile: file, TokenURL: "http://127.0.0.1:1/token"}},
			nil, nil, "got file-token-123", "got <redacted>"},
		{"secret query parameters of a target URL, as sent and unescaped", config.HTTPClientConfig{}, nil,
			[]Target{{Name: "a", URL: "http://127.0.0.1:1/openai/v1/chat/completions?api-version=2024-10-21&api-key=qk-77%2Bz"}},
			"bad api-key=qk-77%2Bz (qk-77+z) for api-version=2024-10-21", "bad api-key=<redacted> (<redacted>) for api-version=2024-10-21"},
		{"other headers are no secret", config.HTTPClientConfig{}, http.Header{"X-Scenario": {"long-audio"}}, nil,
			"scenario long-audio failed", "scenario long-audio failed"},
		{"too short to mask", config.HTTPClientConfig{}, http.Header{"X-Api-Key": {"abc"}}, nil,
			"abc def", "abc def"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &record.Record{Error: &record.Error{Message: c.msg}}
			maskSecrets(rec, credentialValues(c.hc, c.header, c.targets))
			if rec.Error.Message != c.want {
				t.Errorf("masked %q to %q, want %q", c.msg, rec.Error.Message, c.want)
			}
		})
	}
	ok := &record.Record{}
	maskSecrets(ok, []string{"anything"}) // no error: nothing to do, no panic
}

// The credentials of the request as sent (a token an OAuth2 round tripper
// fetched at run time) are masked too.
func TestMaskSent(t *testing.T) {
	sent, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1:1/v1", nil)
	sent.Header.Set("Authorization", "Bearer fetched-token-1")
	sent.Header.Set("X-Request-Id", "req-12345")
	rec := &record.Record{Error: &record.Error{Message: "token fetched-token-1 expired (req-12345)"}}
	maskSent(rec, sent)
	if want := "token <redacted> expired (req-12345)"; rec.Error.Message != want {
		t.Errorf("masked to %q, want %q", rec.Error.Message, want)
	}
	maskSent(&record.Record{}, sent)                      // no error: nothing to do
	maskSent(&record.Record{Error: &record.Error{}}, nil) // no request: nothing to do
}
