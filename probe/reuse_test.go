package probe

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// multiTurn is n conversations of turns turns each, without delays.
func multiTurn(n, turns int) *inputs.Dataset {
	ds := &inputs.Dataset{}
	for i := 0; i < n; i++ {
		c := inputs.Conversation{ID: "conv-" + strconv.Itoa(i)}
		for range turns {
			c.Turns = append(c.Turns, inputs.Turn{Body: inputs.Body{[]byte(`{"messages":[]}`)}, ContentType: "application/json",
				Model: "m", InputTokens: 4})
		}
		ds.Conversations = append(ds.Conversations, c)
	}
	return ds
}

// --connection-reuse-strategy, counted by the connections the server
// accepts: pooled keeps one connection for a closed loop of 1, never opens
// one per request, sticky-user-sessions one per conversation.
// --request-content-type replaces the body's Content-Type.
func TestConnectionReuseStrategies(t *testing.T) {
	cases := []struct {
		strategy, contentType string
		wantConns             int64
	}{
		{"", "", 1},
		{ReusePooled, "", 1},
		{ReuseNever, "", 6},
		{ReuseSticky, "application/vnd.test+json", 2},
	}
	for _, c := range cases {
		t.Run(c.strategy, func(t *testing.T) {
			var conns atomic.Int64
			var mu sync.Mutex
			types := map[string]int{}
			f := &fakeServer{}
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				types[r.Header.Get("Content-Type")]++
				mu.Unlock()
				f.ServeHTTP(w, r)
			}))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.Start()
			defer srv.Close()
			cfg := Config{Targets: []Target{{Name: "t", URL: srv.URL + "/v1/chat/completions"}}, Streaming: true,
				Concurrency: 1, RequestCount: 6, Timeout: 10 * time.Second, ConnectionReuse: c.strategy, ContentType: c.contentType}
			n := 0
			if err := Run(context.Background(), cfg, multiTurn(2, 3), func(r *record.Record) {
				n++
				if !r.Valid() {
					t.Errorf("request failed: %+v", r.Error)
				}
			}); err != nil {
				t.Fatal(err)
			}
			if n != 6 {
				t.Fatalf("%d records, want 6", n)
			}
			if got := conns.Load(); got != c.wantConns {
				t.Errorf("%d connections for 6 requests of 2 conversations, want %d", got, c.wantConns)
			}
			want := c.contentType
			if want == "" {
				want = "application/json"
			}
			mu.Lock()
			defer mu.Unlock()
			if types[want] != 6 {
				t.Errorf("Content-Type sent: %v, want %q on all 6", types, want)
			}
		})
	}
}
