package tokens

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

func TestResolveTokenizer(t *testing.T) {
	raw, err := os.ReadFile("testdata/qwen2/tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := hubtest.New(t, map[string][]byte{"Qwen/Tiny/tokenizer.json": raw, "org/other/tokenizer.json": raw})
	client := &hub.Client{Endpoint: endpoint, CacheDir: t.TempDir()}
	down := &hub.Client{Endpoint: "http://" + testkit.FreeAddr(t), CacheDir: t.TempDir()}
	local, err := LoadHF("testdata/qwen2/tokenizer.json")
	if err != nil {
		t.Fatal(err)
	}
	const text = "Hello, world! The quick brown fox jumps over the lazy dog 12345 times."
	for _, tc := range []struct {
		name    string
		src     Source
		c       *hub.Client
		counter string // Name() of the counter
		warn    string // part of the warning; "" = none
	}{
		{"model name from the Hub", Source{Models: []string{"Qwen/Tiny"}, Revision: "main"}, client, "tokenizer:Qwen/Tiny", ""},
		{"--tokenizer repo id", Source{Tokenizer: "org/other", Models: []string{"Qwen/Tiny"}}, client, "tokenizer:org/other", ""},
		{"--tokenizer local path", Source{Tokenizer: "testdata/qwen2/tokenizer.json", Models: []string{"Qwen/Tiny"}}, down, local.Name(), ""},
		{"Hub unreachable", Source{Models: []string{"Qwen/Tiny"}}, down, "words", "counting words instead"},
		{"not on the Hub", Source{Models: []string{"Qwen/Missing"}}, client, "words", "not found"},
		{"mock model", Source{Models: []string{"Qwen/Tiny"}, Mock: true}, client, "words", ""},
		{"not a repo id", Source{Models: []string{"m"}}, client, "words", ""},
	} {
		c, warn, err := Resolve(context.Background(), tc.src, tc.c)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if c.Name() != tc.counter || (tc.warn == "") != (warn == "") || !strings.Contains(warn, tc.warn) || strings.Contains(warn, "\n") {
			t.Errorf("%s: counter %s, warning %q; want %s, warning with %q", tc.name, c.Name(), warn, tc.counter, tc.warn)
		}
		if strings.HasPrefix(tc.counter, "tokenizer:") && c.Count(text) != local.Count(text) {
			t.Errorf("%s: %d tokens, the local file counts %d", tc.name, c.Count(text), local.Count(text))
		}
	}
	// Once cached, the Hub's tokenizer is there offline.
	client.Offline = true
	if c, warn, err := Resolve(context.Background(), Source{Models: []string{"Qwen/Tiny"}}, client); err != nil || warn != "" || c.Name() != "tokenizer:Qwen/Tiny" {
		t.Errorf("offline from the cache: %v %q %v", c, warn, err)
	}
	if _, _, err := Resolve(context.Background(), Source{Tokenizer: "./nope/tokenizer.json"}, client); err == nil || !strings.Contains(err.Error(), "--tokenizer") {
		t.Errorf("missing local file: err = %v", err)
	}
}

// With ChatTemplate, the tokenizer_config.json beside a Hub or local
// tokenizer.json comes with it and CountChat counts through its template; a
// repo or directory without one, or no tokenizer at all, is a warning.
func TestResolveChatTemplate(t *testing.T) {
	raw := testkit.ReadFile(t, "testdata/qwen2/tokenizer.json")
	cfg := testkit.ReadFile(t, "testdata/chattemplate/qwen3/tokenizer_config.json")
	endpoint := hubtest.New(t, map[string][]byte{
		"Qwen/Chat/tokenizer.json": raw, "Qwen/Chat/tokenizer_config.json": cfg,
		"Qwen/Bare/tokenizer.json": raw,
	})
	client := &hub.Client{Endpoint: endpoint, CacheDir: t.TempDir()}
	msgs := []ChatMessage{{Role: "user", Content: "Hello there"}}
	for _, tc := range []struct {
		name, warn string
		src        Source
	}{
		{"Hub repo with a template", "", Source{Models: []string{"Qwen/Chat"}}},
		{"local directory with a template", "", Source{}}, // the directory is made below
		{"Hub repo without one", "no chat template", Source{Models: []string{"Qwen/Bare"}}},
		{"no tokenizer", "no Hugging Face tokenizer", Source{Models: []string{"m"}}},
	} {
		tc.src.ChatTemplate = true
		if tc.name == "local directory with a template" {
			dir := t.TempDir()
			for name, b := range map[string][]byte{"tokenizer.json": raw, "tokenizer_config.json": cfg} {
				if err := os.WriteFile(dir+"/"+name, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tc.src.Tokenizer = dir
		}
		c, warn, err := Resolve(context.Background(), tc.src, client)
		if err != nil || !strings.Contains(warn, tc.warn) || (tc.warn == "") != (warn == "") || strings.Contains(warn, "\n") {
			t.Errorf("%s: warning %q, error %v; want a warning with %q", tc.name, warn, err, tc.warn)
			continue
		}
		cc, isChat := c.(ChatCounter)
		n, ok := 0, false
		if isChat {
			n, ok = cc.CountChat(msgs)
		}
		if ok != (tc.warn == "") || ok && n <= c.Count("Hello there") {
			t.Errorf("%s: CountChat %d, %v", tc.name, n, ok)
		}
	}
	// Without ChatTemplate nothing is fetched or attached.
	c, _, _ := Resolve(context.Background(), Source{Models: []string{"Qwen/Chat"}}, client)
	if _, ok := c.(ChatCounter).CountChat(msgs); ok {
		t.Error("a template was attached without --apply-chat-template")
	}
}

// A template file the Hub fails to send (not one it lacks) is named in the
// warning, instead of "no chat template" as if the model had none.
func TestResolveChatTemplateDownloadFails(t *testing.T) {
	raw := testkit.ReadFile(t, "testdata/qwen2/tokenizer.json")
	cfg := testkit.ReadFile(t, "testdata/chattemplate/qwen3/tokenizer_config.json")
	target, err := url.Parse(hubtest.New(t, map[string][]byte{"Qwen/Chat/tokenizer.json": raw, "Qwen/Chat/tokenizer_config.json": cfg}))
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "tokenizer_config.json") {
			http.Error(w, "overloaded", http.StatusInternalServerError)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer srv.Close()
	client := &hub.Client{Endpoint: srv.URL, CacheDir: t.TempDir()}
	_, warn, err := Resolve(context.Background(), Source{Models: []string{"Qwen/Chat"}, ChatTemplate: true}, client)
	if err != nil || !strings.Contains(warn, "tokenizer_config.json") || !strings.Contains(warn, "500") {
		t.Fatalf("warning %q, error %v; want the failed download named", warn, err)
	}
}
