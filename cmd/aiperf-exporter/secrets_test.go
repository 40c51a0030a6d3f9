package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// plantedKey returns a fresh, unmistakable API key.
func plantedKey(t *testing.T) string {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "sk-planted-" + hex.EncodeToString(b)
}

// keyServer is the mock server behind a handler that remembers the credential
// headers it received, to prove the key was sent.
type keyServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen map[string]bool // "Header: value" pairs received
}

func newKeyServer(t *testing.T) *keyServer {
	t.Helper()
	// Some requests fail, so error paths (logs, summaries) are exercised too.
	mock := mockserver.New(mockserver.Config{TTFT: time.Millisecond, OutputTokens: 4, Seed: 2,
		Faults: mockserver.Faults{Error500: 0.3, Error429: 0.2}}, nil)
	k := &keyServer{seen: map[string]bool{}}
	k.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		k.mu.Lock()
		for _, h := range []string{"Authorization", "X-Api-Key"} {
			if v := r.Header.Get(h); v != "" {
				k.seen[h+": "+v] = true
			}
		}
		k.mu.Unlock()
		mock.ServeHTTP(w, r)
	}))
	t.Cleanup(k.Close)
	return k
}

func (k *keyServer) received(header string) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.seen[header]
}

// assertNoKey fails when key occurs in any of the named texts.
func assertNoKey(t *testing.T, key string, texts map[string]string) {
	t.Helper()
	if len(texts) == 0 {
		t.Fatal("nothing to search")
	}
	for name, text := range texts {
		if i := strings.Index(text, key); i >= 0 {
			t.Errorf("the API key appears in %s: …%s…", name, text[max(0, i-80):min(len(text), i+len(key)+20)])
		}
	}
}

// artifactTexts reads every file under dir.
func artifactTexts(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"inputs.json", "profile_export.jsonl", "profile_export_aiperf.json", "profile_export_aiperf.csv", "aiperf.log"} {
		found := false
		for p := range out {
			found = found || filepath.Base(p) == want
		}
		if !found {
			t.Errorf("no %s among the artifacts %v", want, out)
		}
	}
	return out
}

// The API key, given each way `profile` takes one, is sent to the server and
// appears in no artifact, nor the console output, nor the log file.
func TestProfileNeverLeaksAPIKey(t *testing.T) {
	key := plantedKey(t)
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		args []string
		sent string
	}{
		{"--api-key", []string{"--api-key", key}, "Authorization: Bearer " + key},
		{"--api-key=", []string{"--api-key=" + key}, "Authorization: Bearer " + key},
		{"--api-key-file", []string{"--api-key-file", keyFile}, "Authorization: Bearer " + key},
		{"-H Authorization", []string{"-H", "Authorization: Bearer " + key}, "Authorization: Bearer " + key},
		{"--header=Authorization", []string{"--header=Authorization: Bearer " + key}, "Authorization: Bearer " + key},
		{"-H X-Api-Key", []string{"-H", "X-Api-Key: " + key}, "X-Api-Key: " + key},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := newKeyServer(t)
			args := append([]string{"--model", "m", "--url", srv.URL, "--streaming", "--request-count", "12",
				"--concurrency", "3", "--isl", "8", "--random-seed", "4"}, c.args...)
			code, out, errOut, dir := profileInDir(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if !srv.received(c.sent) {
				t.Fatalf("the server never received %q: the key was not sent", c.sent)
			}
			if !strings.Contains(out, "CLI Command:") {
				t.Fatalf("no CLI Command echo to check:\n%s", out)
			}
			texts := artifactTexts(t, dir)
			texts["stdout"], texts["stderr"] = out, errOut
			assertNoKey(t, key, texts)
		})
	}
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// nonZero reports whether a sample line of the exposition with label is not 0.
func nonZero(exposition, label string) bool {
	for _, l := range strings.Split(exposition, "\n") {
		if strings.Contains(l, label) && !strings.HasPrefix(l, "#") && !strings.HasSuffix(l, " 0") {
			return true
		}
	}
	return false
}

// The daemon, given the key by AIPERF_API_KEY, --api-key, --api-key-file or a
// header, sends it and never shows it: not in its logs (debug level, both
// formats), the landing page, /metrics, readiness or health.
func TestServeNeverLeaksAPIKey(t *testing.T) {
	key := plantedKey(t)
	keyFile := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(keyFile, []byte(key), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		env  string
		args []string
		sent string
	}{
		{name: "AIPERF_API_KEY", env: key, args: []string{"--log.format", "json"}, sent: "Authorization: Bearer " + key},
		{name: "--api-key", args: []string{"--api-key", key}, sent: "Authorization: Bearer " + key},
		{name: "--api-key-file", args: []string{"--api-key-file", keyFile, "--log.format", "json"}, sent: "Authorization: Bearer " + key},
		{name: "-H Authorization", args: []string{"-H", "Authorization: Bearer " + key}, sent: "Authorization: Bearer " + key},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.env != "" {
				t.Setenv("AIPERF_API_KEY", c.env)
			}
			srv := newKeyServer(t)
			addr := testkit.FreeAddr(t)
			args := append([]string{"--model", "m", "--url", srv.URL, "--streaming", "--concurrency", "2", "--isl", "8",
				"--web.listen-address", addr, "--log.level", "debug", "--shutdown.grace-period", "0"}, c.args...)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stdout, stderr testkit.SyncBuffer
			done := make(chan int, 1)
			go func() { done <- serve(ctx, args, &stdout, &stderr) }()

			base := "http://" + addr
			texts := map[string]string{}
			deadline := time.Now().Add(30 * time.Second)
			for {
				code, metrics := httpGet(t, base+"/metrics")
				if code == http.StatusOK && nonZero(metrics, `outcome="success"`) && nonZero(metrics, `reason="http_5xx"`) {
					texts["/metrics"] = metrics
					break
				}
				if time.Now().After(deadline) {
					cancel()
					t.Fatalf("no successes and 500s on /metrics within 30 s (exit %v); logs:\n%s", <-done, stderr.String())
				}
				time.Sleep(50 * time.Millisecond)
			}
			for _, p := range []string{"/", "/-/ready", "/-/healthy"} {
				_, texts[p] = httpGet(t, base+p)
			}
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Errorf("serve exit %d", code)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("serve did not stop")
			}
			if !srv.received(c.sent) {
				t.Fatalf("the server never received %q", c.sent)
			}
			texts["stdout"], texts["stderr (logs)"] = stdout.String(), stderr.String()
			if !strings.Contains(texts["stderr (logs)"], "probe failed") {
				t.Errorf("no failed-probe lines in the logs to check:\n%.2000s", texts["stderr (logs)"])
			}
			assertNoKey(t, key, texts)
		})
	}
}
