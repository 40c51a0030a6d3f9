package probe

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// recordingMock is the real mock behind a handler that keeps every chat body
// it receives, in arrival order.
func recordingMock(t *testing.T) (*httptest.Server, func() [][]byte) {
	t.Helper()
	m := mockserver.New(mockserver.Config{OutputTokens: 1}, nil)
	var mu sync.Mutex
	var bodies [][]byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(b))
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, func() [][]byte {
		mu.Lock()
		defer mu.Unlock()
		return bodies
	}
}

var ridRE = regexp.MustCompile(`\[rid:([0-9a-f]{12})\]`)

// With --cache-bust, every request of one play of a conversation carries one
// marker, in the message the target names, with AIPerf's blank line; a
// conversation played again gets a new one, and the dataset's own bodies
// (inputs.json) stay without it.
func TestCacheBustMarkersReachTheServer(t *testing.T) {
	srv, bodies := recordingMock(t)
	_, ds := BuildFromArgs(t, "-m", "m", "--isl", "3", "--num-dataset-entries", "2", "--conversation-turn-mean", "2",
		"--shared-system-prompt-length", "4", "--cache-bust", "system_suffix")
	cfg := Config{Targets: []Target{{Name: "mock", URL: srv.URL + "/v1/chat/completions"}}, Timeout: 20 * time.Second,
		Concurrency: 1, RequestCount: 8, Seed: 5, Sampling: SamplingSequential}
	if _, err := collect(context.Background(), cfg, ds); err != nil {
		t.Fatal(err)
	}
	got := bodies()
	if len(got) != 8 {
		t.Fatalf("the mock received %d bodies, want 8", len(got))
	}
	var digests []string
	for i, b := range got {
		var req struct {
			Messages []struct {
				Role    string `json:"role"`
				Content string `json:"content"`
			} `json:"messages"`
		}
		if err := json.Unmarshal(b, &req); err != nil {
			t.Fatalf("body %d is not JSON: %v\n%s", i, err, b)
		}
		if len(ridRE.FindAll(b, -1)) != 1 {
			t.Fatalf("body %d has not exactly one marker: %s", i, b)
		}
		sys := req.Messages[0]
		m := regexp.MustCompile(`^\S+( \S+){3}\n\n\[rid:([0-9a-f]{12})\]$`).FindStringSubmatch(sys.Content)
		if sys.Role != "system" || m == nil {
			t.Fatalf("body %d: the system prompt does not end with the marker: %q", i, sys.Content)
		}
		digests = append(digests, m[2])
	}
	// Sequential, one at a time: plays are bodies (0,1), (2,3), ... each of two turns.
	seen := map[string]bool{}
	for p := 0; p < 8; p += 2 {
		if digests[p] != digests[p+1] {
			t.Fatalf("play %d: turns carry %s and %s, want one marker per play", p/2, digests[p], digests[p+1])
		}
		if seen[digests[p]] {
			t.Fatalf("play %d reuses marker %s", p/2, digests[p])
		}
		seen[digests[p]] = true
	}
	for _, e := range ds.Entries() {
		for _, p := range e.Payloads {
			if ridRE.Match(p.Bytes()) {
				t.Fatalf("the dataset's own body carries a marker: %s", p.Bytes())
			}
		}
	}
}
