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
