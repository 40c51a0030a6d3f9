package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// controlServer is the mock behind a recorder: it logs the path of every
// request in arrival order and answers the paths in refuse with 500.
type controlServer struct {
	URL    string
	mock   *mockserver.Server
	mu     sync.Mutex
	paths  []string
	refuse map[string]bool
}

func startControlServer(t *testing.T, refuse ...string) *controlServer {
	t.Helper()
	c := &controlServer{mock: mockserver.New(mockserver.Config{OutputTokens: 2}, nil), refuse: map[string]bool{}}
	for _, p := range refuse {
		c.refuse[p] = true
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.paths = append(c.paths, r.URL.Path)
		c.mu.Unlock()
		if c.refuse[r.URL.Path] {
			http.Error(w, "refused", http.StatusInternalServerError)
			return
		}
		c.mock.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c.URL = srv.URL
	return c
}

// order is the received paths with each run of chat requests as one "chat".
func (c *controlServer) order() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, p := range c.paths {
		if p == "/v1/chat/completions" {
			p = "chat"
		}
		if p == "/metrics" || len(out) > 0 && out[len(out)-1] == p {
			continue
		}
		out = append(out, p)
	}
	return strings.Join(out, " ")
}

// AIPerf's control hooks against the mock: the reset before everything (the
// warmup included), the profiler started after the warmup and stopped after
// the profiling requests; a path given turns its hook on; SGLang's reset
// path works too.
func TestProfileControlHooks(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"both", []string{"--reset-kv-cache", "--server-profiler", "--warmup-request-count", "2"},
			"/reset_prefix_cache chat /start_profile chat /stop_profile"},
		{"sglang reset, paths given", []string{"--reset-kv-cache-path", "/flush_cache", "--server-profiler-stop-path", "/stop_profile"},
			"/flush_cache /start_profile chat /stop_profile"},
		{"none", nil, "chat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := startControlServer(t)
			args := append([]string{"--model", "m", "--url", c.URL, "--request-count", "3", "--no-server-metrics"}, tc.args...)
			profileOK(t, args...)
			if got := c.order(); got != tc.want {
				t.Errorf("the server received %q, want %q", got, tc.want)
			}
		})
	}
}

// AIPerf's failure policy: a failed reset or profiler start ends the run
// (exit 1, one line naming the URL) before any profiling request; a failed
// stop is only a warning.
func TestProfileControlHookFailures(t *testing.T) {
	for _, tc := range []struct {
		name, refuse string
		args         []string
		code         int
		want, stderr string
	}{
		{"reset", "/reset_prefix_cache", []string{"--reset-kv-cache", "--server-profiler"}, 1,
			"/reset_prefix_cache", "--reset-kv-cache: POST URL/reset_prefix_cache: HTTP 500"},
		{"start", "/start_profile", []string{"--server-profiler", "--warmup-request-count", "1"}, 1,
			"chat /start_profile", "--server-profiler: POST URL/start_profile: HTTP 500"},
		{"stop", "/stop_profile", []string{"--server-profiler"}, 0,
			"/start_profile chat /stop_profile", "Warning: --server-profiler: stop: POST URL/stop_profile: HTTP 500"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := startControlServer(t, tc.refuse)
			args := append([]string{"--model", "m", "--url", c.URL, "--request-count", "3", "--no-server-metrics"}, tc.args...)
			code, _, errOut, _ := profileInDir(t, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, errOut)
			}
			if got := c.order(); got != tc.want {
				t.Errorf("the server received %q, want %q", got, tc.want)
			}
			want := strings.ReplaceAll(tc.stderr, "URL", c.URL)
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr %q\nwant it to say %q", errOut, want)
			}
			if tc.code != 0 && strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Errorf("stderr %q: want one line", errOut)
			}
		})
	}
}
