package tokens

import (
	"context"
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
