package mockserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaults(t *testing.T) {
	const n = 8
	tests := []struct {
		name   string
		faults Faults
		check  func(t *testing.T, resp *http.Response, body []byte, tr Truth, elapsed time.Duration)
	}{
		{"error500", Faults{Error500: 1}, func(t *testing.T, resp *http.Response, body []byte, _ Truth, _ time.Duration) {
			wantError(t, resp, body, 500, "InternalServerError")
		}},
		{"error429", Faults{Error429: 1}, func(t *testing.T, resp *http.Response, body []byte, _ Truth, _ time.Duration) {
			wantError(t, resp, body, 429, "RateLimitError")
			if resp.Header.Get("Retry-After") != "1" {
				t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
			}
		}},
		{"drop", Faults{DropMidStream: 1}, func(t *testing.T, _ *http.Response, body []byte, tr Truth, _ time.Duration) {
			if strings.Contains(string(body), "[DONE]") || strings.Contains(string(body), "finish_reason\":\"") {
				t.Errorf("dropped stream has an end: %s", body)
			}
			if len(tr.ChunkNs) != n/2 {
				t.Errorf("%d chunks before the drop, want %d", len(tr.ChunkNs), n/2)
			}
		}},
		{"malformed", Faults{MalformedEvent: 1}, func(t *testing.T, _ *http.Response, body []byte, _ Truth, _ time.Duration) {
			bad := 0
			for _, e := range parseSSE(t, body) {
				if e.chunk == nil && e.raw != "[DONE]" {
					bad++
				}
			}
			if got, finish := streamTokens(t, body); bad != 1 || got != n || finish != "length" || !strings.HasSuffix(string(body), "data: [DONE]\n\n") {
				t.Errorf("%d malformed events, %d tokens, finish %q: %s", bad, got, finish, body)
			}
		}},
		{"error event", Faults{ErrorEvent: 1}, func(t *testing.T, _ *http.Response, body []byte, _ Truth, _ time.Duration) {
			events := parseSSE(t, body)
			errEv := events[len(events)-2].chunk
			if errEv == nil || errEv.Error == nil || errEv.Error.Code != 500 || events[len(events)-1].raw != "[DONE]" {
				t.Errorf("want an error event then [DONE]: %s", body)
			}
			if got, finish := streamTokens(t, body); got != n/2 || finish != "" {
				t.Errorf("%d tokens finish %q before the error", got, finish)
			}
		}},
		{"truncate", Faults{Truncate: 1}, func(t *testing.T, resp *http.Response, body []byte, _ Truth, _ time.Duration) {
			if got, finish := streamTokens(t, body); got != n/2 || finish != "" || strings.Contains(string(body), "[DONE]") {
				t.Errorf("%d tokens finish %q: %s", got, finish, body)
			}
		}},
		{"stall", Faults{Stall: 1, StallDuration: 150 * time.Millisecond}, func(t *testing.T, _ *http.Response, body []byte, tr Truth, _ time.Duration) {
			if got, _ := streamTokens(t, body); got != n {
				t.Errorf("%d tokens after a stall, want %d", got, n)
			}
			// The mock keeps an absolute schedule, so the chunk after the stall is
			// due 150ms later than without it; the gap to the chunk before can be
			// shorter when that one went out late, so check the schedule instead.
			due := time.Duration(n/2)*time.Millisecond + 150*time.Millisecond
			if sent := time.Duration(tr.ChunkNs[n/2] - tr.ArrivalNs); sent < due {
				t.Errorf("chunk after the stall sent %v after arrival, want at least %v", sent, due)
			}
		}},
		{"slow headers", Faults{SlowHeaders: 1, SlowHeadersDelay: 150 * time.Millisecond}, func(t *testing.T, resp *http.Response, body []byte, _ Truth, elapsed time.Duration) {
			if got, _ := streamTokens(t, body); elapsed < 150*time.Millisecond || got != n || resp.StatusCode != 200 {
				t.Errorf("headers after %v, %d tokens", elapsed, got)
			}
		}},
		{"wrong content type", Faults{WrongContentType: 1}, func(t *testing.T, resp *http.Response, body []byte, _ Truth, _ time.Duration) {
			var c struct{ Object string }
			if resp.Header.Get("Content-Type") != "application/json" || json.Unmarshal(body, &c) != nil || c.Object != "chat.completion" {
				t.Errorf("content type %q body %s", resp.Header.Get("Content-Type"), body)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := start(t, Config{Faults: tt.faults, ITL: time.Millisecond})
			start := time.Now()
			resp, body := post(t, srv.URL+"/v1/chat/completions", "f", chatBody("a b", true, map[string]any{"max_tokens": n}))
			elapsed := time.Since(start)
			tr, _ := srv.Server.Truth("f")
			if tr.Fault == "" {
				t.Errorf("truth records no fault: %+v", tr)
			}
			tt.check(t, resp, body, tr, elapsed)
		})
	}
}

func wantError(t *testing.T, resp *http.Response, body []byte, code int, typ string) {
	t.Helper()
	var e apiError
	if resp.StatusCode != code || json.Unmarshal(body, &e) != nil || e.Error.Code != code || e.Error.Type != typ {
		t.Errorf("status %d body %s, want %d %s", resp.StatusCode, body, code, typ)
	}
}

func TestFaultProbability(t *testing.T) {
	srv := start(t, Config{Faults: Faults{Error500: 0.5}, OutputTokens: 1, Seed: 7})
	fails := 0
	for range 200 {
		resp, _ := post(t, srv.URL+"/v1/chat/completions", "", chatBody("a", false, nil))
		if resp.StatusCode == 500 {
			fails++
		}
	}
	if fails < 60 || fails > 140 {
		t.Errorf("%d of 200 requests failed at probability 0.5", fails)
	}
}
