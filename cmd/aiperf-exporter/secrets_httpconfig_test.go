package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// The secrets of --http-config-file (http_headers secrets, the OAuth2 client
// secret and the access token fetched with it) are masked wherever a server
// echoes them back: the target in its error body, the token endpoint in its
// refusal, which becomes the request's error.
func TestProfileMasksEchoedHTTPConfigSecrets(t *testing.T) {
	for _, tokenOK := range []bool{true, false} {
		t.Run(fmt.Sprintf("token endpoint answers %v", tokenOK), func(t *testing.T) {
			clientSecret, token, tenant := plantedKey(t), plantedKey(t), plantedKey(t)
			var echoed atomic.Bool
			mux := http.NewServeMux()
			mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
				r.ParseForm()
				user, pass, _ := r.BasicAuth()
				if !tokenOK {
					http.Error(w, fmt.Sprintf("bad client %s:%s (%s) form %s", user, pass, r.Header.Get("Authorization"), r.Form.Encode()), http.StatusUnauthorized)
					if pass == clientSecret || r.PostForm.Get("client_secret") == clientSecret {
						echoed.Store(true)
					}
					return
				}
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600}`, token)
			})
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") == "Bearer "+token && r.Header.Get("X-Tenant") == tenant {
					echoed.Store(true)
				}
				http.Error(w, fmt.Sprintf("denied: Authorization=%s X-Tenant=%s", r.Header.Get("Authorization"), r.Header.Get("X-Tenant")), http.StatusUnauthorized)
			})
			srv := httptest.NewServer(mux)
			defer srv.Close()
			cfg := filepath.Join(t.TempDir(), "http.yml")
			yml := fmt.Sprintf("oauth2:\n  client_id: app\n  client_secret: %s\n  token_url: %s/token\nhttp_headers:\n  X-Tenant:\n    secrets: [%s]\n",
				clientSecret, srv.URL, tenant)
			if err := os.WriteFile(cfg, []byte(yml), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errOut, dir := profileInDir(t, "--model", "m", "--url", srv.URL, "--request-count", "3",
				"--concurrency", "1", "--isl", "4", "--http-config-file", cfg)
			if code != 1 {
				t.Fatalf("exit %d, want 1 (every request failed): %s", code, errOut)
			}
			if !echoed.Load() {
				t.Fatal("the server never received the secrets it echoes: nothing was tested")
			}
			texts := artifactTexts(t, dir)
			texts["stdout"], texts["stderr"] = out, errOut
			all := strings.Join([]string{out, errOut, texts[filepath.Join(dir, "profile_export.jsonl")]}, "\n")
			want := map[bool]string{true: "denied: Authorization=", false: "client_secret=<redacted>"}[tokenOK]
			if !strings.Contains(all, want) || !strings.Contains(all, "<redacted>") {
				t.Fatalf("the masked echo %q is nowhere to be seen:\n%.3000s", want, all)
			}
			for _, secret := range []string{clientSecret, token, tenant} {
				assertNoKey(t, secret, texts)
			}
		})
	}
}

// A key in the --url query (Azure's ?api-key=K) that the server echoes in its
// error body is masked in every export, the log and the console.
func TestProfileMasksEchoedURLQueryKey(t *testing.T) {
	key := plantedKey(t)
	var echoed atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("api-key") == key {
			echoed.Store(true)
		}
		http.Error(w, "denied: "+r.URL.RequestURI(), http.StatusUnauthorized)
	}))
	defer srv.Close()
	code, out, errOut, dir := profileInDir(t, "--model", "m", "--url", srv.URL+"/openai?api-version=2024-10-21&api-key="+key,
		"--request-count", "2", "--concurrency", "1", "--isl", "4", "--no-server-metrics")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (every request failed): %s", code, errOut)
	}
	if !echoed.Load() {
		t.Fatal("the server never received the key: nothing was tested")
	}
	if !strings.Contains(errOut, "api-key=<redacted>") {
		t.Fatalf("the masked echo is not on stderr:\n%s", errOut)
	}
	texts := artifactTexts(t, dir)
	texts["stdout"], texts["stderr"] = out, errOut
	assertNoKey(t, key, texts)
}
