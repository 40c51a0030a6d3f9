package mockserver

import (
	"encoding/json"
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
