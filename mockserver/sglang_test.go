package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// sglangOut is one event (or the whole answer) of SGLang's generate API.
type sglangOut struct {
	Text      string `json:"text"`
	OutputIDs []int  `json:"output_ids"`
	MetaInfo  struct {
		ID           string `json:"id"`
		FinishReason *struct {
			Type string `json:"type"`
		} `json:"finish_reason"`
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"meta_info"`
}

// Each event carries the text and ids whole so far, in SGLang's key order;
// the whole answer is the last event; a request id is escaped.
func TestSGLangGenerate(t *testing.T) {
	const n, id = 4, `s"1`
	srv := start(t, Config{})
	body := map[string]any{"input_ids": []int{1, 2, 3}, "sampling_params": map[string]any{"max_new_tokens": n}, "stream": true}
	resp, out := post(t, srv.URL+"/generate", id, body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, out)
	}
	blocks := strings.Split(strings.TrimSuffix(string(out), "\n\n"), "\n\n")
	if len(blocks) != n+1 || blocks[n] != "data: [DONE]" {
		t.Fatalf("%d events, want %d tokens and [DONE]:\n%s", len(blocks), n, out)
	}
	if want := `data: {"text":"tok","output_ids":[1000],"meta_info":{"id":"s\"1","finish_reason":null,"prompt_tokens":3,"completion_tokens":1}}`; blocks[0] != want {
		t.Errorf("first event\n%s\nwant\n%s", blocks[0], want)
	}
	for i, b := range blocks[:n] {
		var e sglangOut
		if err := json.Unmarshal([]byte(strings.TrimPrefix(b, "data: ")), &e); err != nil {
			t.Fatalf("event %d: %v: %s", i, err, b)
		}
		wantIDs := make([]int, i+1)
		for j := range wantIDs {
			wantIDs[j] = 1000 + j
		}
		last := i == n-1
		if e.Text != strings.TrimSpace(strings.Repeat("tok ", i+1)) || !slices.Equal(e.OutputIDs, wantIDs) || e.MetaInfo.ID != id ||
			e.MetaInfo.PromptTokens != 3 || e.MetaInfo.CompletionTokens != i+1 || (e.MetaInfo.FinishReason != nil) != last {
			t.Errorf("event %d: %s", i, b)
		}
		if last && e.MetaInfo.FinishReason.Type != "length" {
			t.Errorf("last event's finish reason %q, want length", e.MetaInfo.FinishReason.Type)
		}
	}
	body["stream"] = false
	resp, whole := post(t, srv.URL+"/generate", id, body)
	if resp.StatusCode != http.StatusOK || string(whole) != strings.TrimPrefix(blocks[n-1], "data: ")+"\n" {
		t.Errorf("whole answer %d %s, want the last event", resp.StatusCode, whole)
	}
}

// discardWriter is a ResponseWriter that keeps nothing.
type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (discardWriter) WriteHeader(int)             {}

// Building SGLang's events costs memory linear in the tokens: each event
// appends its token to what the one before built (rebuilding every event
// from the start allocated 66 KB per token at n = 4000; these about 150 B).
func TestSGLangEventsBuildInLinearMemory(t *testing.T) {
	const n = 4000
	e := newSGLangEvents("r", 3, "length", makeTokens([]string{"tok"}, n))
	ev := sse{w: discardWriter{}}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i, tok := range e.tokens {
		e.token(ev, i, tok)
	}
	runtime.ReadMemStats(&after)
	perToken := (after.TotalAlloc - before.TotalAlloc) / n
	t.Logf("%d bytes allocated per token", perToken)
	if perToken > 1024 {
		t.Errorf("%d bytes allocated per token for %d tokens, want a bound independent of n", perToken, n)
	}
}

// countingWriter is a ResponseWriter that counts the bytes written.
type countingWriter struct {
	discardWriter
	n *int64
}

func (c countingWriter) Write(b []byte) (int, error) { *c.n += int64(len(b)); return len(b), nil }

// maxStreamTokens counts a stream's bytes exactly: a bound of a real
// stream's size holds its n tokens, one byte less only n−1. The sizes cross
// the ids' 4-to-5-digit step (token 9000), an escaped request id and both
// finish reasons.
func TestSGLangMaxStreamTokensIsExact(t *testing.T) {
	for _, tc := range []struct {
		n, prompt   int
		rid, finish string
	}{
		{1, 3, "r", "length"},
		{2, 3, "r", "stop"},
		{10, 12345, `s"1`, "length"},
		{9003, 7, "a-request-id", "stop"},
	} {
		e := newSGLangEvents(tc.rid, tc.prompt, tc.finish, makeTokens([]string{sglangWord}, tc.n))
		var size int64
		ev := sse{w: countingWriter{n: &size}}
		for i, tok := range e.tokens {
			e.token(ev, i, tok)
		}
		e.tail(ev)
		probe := newSGLangEvents(tc.rid, tc.prompt, tc.finish, nil)
		if got := probe.maxStreamTokens(size); got != tc.n {
			t.Errorf("n=%d: %d tokens fit in its own %d bytes, want %d", tc.n, got, size, tc.n)
		}
		if got := probe.maxStreamTokens(size - 1); got != tc.n-1 {
			t.Errorf("n=%d: %d tokens fit in %d bytes, want %d", tc.n, got, size-1, tc.n-1)
		}
	}
}

// A stream whose resent events would pass 64 MiB is refused, naming
// max_new_tokens and the most that fits; the same answer whole is served.
func TestSGLangStreamBounded(t *testing.T) {
	srv := start(t, Config{})
	most := newSGLangEvents("big", 2, "length", nil).maxStreamTokens(maxSGLangStreamBytes)
	if most < 3000 || most > 4000 { // about sqrt(64 MiB / 4.5)
		t.Fatalf("%d tokens fit in 64 MiB, want about 3860", most)
	}
	body := map[string]any{"input_ids": []int{1, 2}, "sampling_params": map[string]any{"max_new_tokens": most + 1}, "stream": true}
	resp, out := post(t, srv.URL+"/generate", "big", body)
	want := fmt.Sprintf("max_new_tokens must be at most %d", most)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(out), want) || !strings.Contains(string(out), "67108864 bytes") {
		t.Errorf("HTTP %d %s; want 400 saying %q and the bound", resp.StatusCode, out, want)
	}
	body["stream"] = false
	if resp, out := post(t, srv.URL+"/generate", "whole", body); resp.StatusCode != http.StatusOK {
		t.Errorf("whole answer: HTTP %d %s", resp.StatusCode, out)
	}
}
