package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// A profile run against a target behind basic auth (--basic-auth-password-file)
// and with credentials in a second --url: the run succeeds, neither the
// password nor the URL's credentials appear on stdout, stderr or in any
// artifact (log included), the JSONL names each target and the JSON export
// carries http_phases.
func TestProfileHTTPClientLeaksNoSecret(t *testing.T) {
	const planted, urlPass = "planted-Pw-51c0e2", "urlpass-9d1b"
	pwFile := filepath.Join(t.TempDir(), "password")
	if err := os.WriteFile(pwFile, []byte(planted), 0o600); err != nil {
		t.Fatal(err)
	}
	m := mockserver.New(mockserver.Config{TTFT: 2 * time.Millisecond, Seed: 1}, nil)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The URL's own credentials win for the second target.
		if u, p, ok := r.BasicAuth(); !ok || (u+":"+p != "probe:"+planted && u+":"+p != "someone:"+urlPass) {
			http.Error(w, "bad credentials", http.StatusUnauthorized)
			return
		}
		m.ServeHTTP(w, r)
	}))
	defer target.Close()
	dir := filepath.Join(t.TempDir(), "artifacts")
	var stdout, stderr bytes.Buffer
	code := profile(context.Background(), []string{"--model", "m", "--streaming",
		"--url", target.URL, "--url", strings.Replace(target.URL, "http://", "http://someone:"+urlPass+"@", 1),
		"--basic-auth-username", "probe", "--basic-auth-password-file", pwFile,
		"--request-count", "6", "--concurrency", "2", "--synthetic-input-tokens-mean", "8", "--output-tokens-mean", "4",
		"--num-dataset-entries", "2", "--artifact-dir", dir, "--failed-request-threshold", "1"}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	texts := map[string]string{"stdout": stdout.String(), "stderr": stderr.String()}
	if err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		texts[path] = string(b)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(texts) < 5 {
		t.Fatalf("only %d outputs", len(texts))
	}
	for name, text := range texts {
		for _, secret := range []string{planted, urlPass} {
			if strings.Contains(text, secret) {
				t.Errorf("%s contains a secret", name)
			}
		}
	}
	if !strings.Contains(texts[filepath.Join(dir, "profile_export.jsonl")], `"target":"1:`) {
		t.Error("the JSONL does not name the second target")
	}
	if j := texts[filepath.Join(dir, "profile_export_aiperf.json")]; !strings.Contains(j, `"http_phases"`) || !strings.Contains(j, `"first_token"`) {
		t.Error("the JSON export has no http_phases statistics")
	}
}
