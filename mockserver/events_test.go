package mockserver

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// The Responses API's and TGI's streams go through the same schedule as
// chat's: the mock's faults strike them halfway, and a stream waiting for its
// first token counts as in prefill.
func TestEventStreamsTakeFaultsAndPrefill(t *testing.T) {
	const n = 8
	apis := []struct {
		name, path string
		body       map[string]any
		end        string // what only a whole stream ends with
	}{
		{"responses", "/v1/responses", map[string]any{"model": "m", "input": "a b", "stream": true, "max_output_tokens": n}, "response.completed"},
		{"tgi", "/generate_stream", map[string]any{"inputs": "a b", "parameters": map[string]any{"max_new_tokens": n}}, `"generated_text":"`},
	}
	for _, api := range apis {
		for _, tc := range []struct {
			name   string
			faults Faults
			chunks int
			status int
		}{
			{"none", Faults{}, n, 200},
			{"error500", Faults{Error500: 1}, 0, 500},
			{"truncate", Faults{Truncate: 1}, n / 2, 200},
			{"drop", Faults{DropMidStream: 1}, n / 2, 200},
			{"error event", Faults{ErrorEvent: 1}, n / 2, 200},
		} {
			t.Run(api.name+"/"+tc.name, func(t *testing.T) {
				srv := start(t, Config{Faults: tc.faults, ITL: time.Millisecond})
				resp, body := post(t, srv.URL+api.path, "f", api.body)
				tr, _ := srv.Server.Truth("f")
				if resp.StatusCode != tc.status || len(tr.ChunkNs) != tc.chunks {
					t.Fatalf("status %d, %d chunks; want %d, %d: %s", resp.StatusCode, len(tr.ChunkNs), tc.status, tc.chunks, body)
				}
				if whole := strings.Contains(string(body), api.end); whole != (tc.chunks == n) {
					t.Errorf("stream ends whole: %v, want %v: %s", whole, tc.chunks == n, body)
				}
				if tc.name == "error event" && !strings.Contains(string(body), `"error"`) {
					t.Errorf("no error event: %s", body)
				}
			})
		}
		t.Run(api.name+"/prefill", func(t *testing.T) {
			srv := start(t, Config{TTFT: time.Second, OutputTokens: 2})
			var wg sync.WaitGroup
			for i := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if resp, body := post(t, srv.URL+api.path, fmt.Sprint("p", i), api.body); resp.StatusCode != http.StatusOK {
						t.Errorf("status %d: %s", resp.StatusCode, body)
					}
				}()
			}
			wg.Wait()
			if got := srv.Server.MaxInPrefill(); got != 2 {
				t.Errorf("MaxInPrefill %d, want the 2 streams sent together", got)
			}
		})
	}
}
