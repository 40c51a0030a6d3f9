package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// A --streaming profile of a server that answers with tool calls only: every
// request is a success whose tool-call text is its output; a plain JSON reply
// has no streaming metrics (probe/testdata/toolcalls: a tester's byte streams).
func TestProfileToolCallReplies(t *testing.T) {
	cases := []struct {
		file, contentType string
		streamed          bool
	}{
		{"vllm-tool-only.sse", "text/event-stream", true},
		{"chat-tool-message.json", "application/json", false},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join("..", "..", "probe", "testdata", "toolcalls", c.file))
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/v1/chat/completions" {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", c.contentType)
				_, _ = w.Write(body)
			}))
			defer srv.Close()
			_, dir := profileOK(t, "--model", "m", "--streaming", "--url", srv.URL, "--request-count", "2",
				"--concurrency", "1", "--synthetic-input-tokens-mean", "5", "--no-server-metrics")
			type line struct {
				Metrics map[string]struct{ Value any } `json:"metrics"`
				Error   any                            `json:"error"`
			}
			recs := readJSONLAs[line](t, dir)
			if len(recs) != 2 {
				t.Fatalf("%d records", len(recs))
			}
			for _, r := range recs {
				_, ttft := r.Metrics["time_to_first_token"]
				osl, _ := r.Metrics["output_sequence_length"].Value.(float64)
				if r.Error != nil || osl <= 0 || ttft != c.streamed {
					t.Errorf("error %v, output_sequence_length %v, time_to_first_token present %v; want none, > 0, %v", r.Error, osl, ttft, c.streamed)
				}
			}
			// The run asked to stream, so a TTFT SLO applies (profile takes it):
			// report DIR agrees, whether the replies streamed or not.
			var errb bytes.Buffer
			if code := run([]string{"report", "--goodput", "time_to_first_token:100", "--output", t.TempDir(), dir}, &bytes.Buffer{}, &errb); code != 0 {
				t.Errorf("report --goodput time_to_first_token: exit %d: %s", code, errb.String())
			}
		})
	}
}
