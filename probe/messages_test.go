package probe

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// Anthropic's Messages stream over loopback, as --endpoint-type
// anthropic_messages sends and reads it: the API key as x-api-key (never
// Authorization), anthropic-version 2023-06-01 unless a --header gives one;
// thinking deltas are reasoning, text deltas the answer, the input tokens
// come from message_start and the output tokens from message_delta, and
// message_stop ends the stream without [DONE].
func TestAnthropicMessagesStream(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "streams", "anthropic-messages.sse"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		headers []string
		version string
	}{
		{"default version", nil, "2023-06-01"},
		{"--header wins", []string{"anthropic-version: 2099-01-01"}, "2099-01-01"},
	} {
		t.Run(c.name, func(t *testing.T) {
			seen := make(chan http.Header, 1) // the race detector sees no order through the socket
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen <- r.Header.Clone()
				w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
				_, _ = w.Write(body)
			}))
			defer srv.Close()
			o := &options.Options{Models: []string{"m"}, URLs: []string{srv.URL}, EndpointType: "anthropic_messages",
				Streaming: true, RequestCount: 1, Concurrency: 1, RequestTimeout: 10, APIKey: "sk-ant-test-0123456789", Headers: c.headers}
			cfg, err := ConfigFrom(o, "t")
			if err != nil {
				t.Fatal(err)
			}
			cfg.Counter = tokens.Words{}
			var recs []*record.Record
			if err := Run(context.Background(), cfg, testDataset(), func(r *record.Record) { recs = append(recs, r) }); err != nil {
				t.Fatal(err)
			}
			got := <-seen
			if got.Get("X-Api-Key") != "sk-ant-test-0123456789" || got.Get("Authorization") != "" || got.Get("Anthropic-Version") != c.version {
				t.Errorf("headers: x-api-key %q, authorization %q, anthropic-version %q", got.Get("X-Api-Key"), got.Get("Authorization"), got.Get("Anthropic-Version"))
			}
			if len(recs) != 1 || recs[0].Error != nil {
				t.Fatalf("records %+v", recs)
			}
			r := recs[0]
			reason := 0
			for _, resp := range r.Responses {
				if resp.Kind&record.Reasoning != 0 {
					reason++
				}
			}
			if len(r.Responses) != 4 || reason != 2 {
				t.Errorf("%d responses, %d reasoning; want 4, 2", len(r.Responses), reason)
			}
			if u := r.Usage; u == nil || u.PromptTokens != 25 || u.CompletionTokens != 15 {
				t.Errorf("usage %+v, want 25 input tokens (message_start) and 15 output (message_delta)", u)
			}
		})
	}
}

// A non-streamed message: its text and thinking blocks, and its usage.
func TestAnthropicMessagesWhole(t *testing.T) {
	const whole = `{"id":"msg_01","type":"message","role":"assistant","model":"claude",` +
		`"content":[{"type":"thinking","thinking":"Let me think.","signature":"x"},{"type":"text","text":"Hello"},{"type":"text","text":" world"}],` +
		`"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":15}}`
	s := &stream{}
	s.reset(time.Now())
	s.messagesAPI = true
	s.whole([]byte(whole), time.Second)
	if string(s.answer) != "Hello world" || string(s.reasoning) != "Let me think." || len(s.responses) != 1 {
		t.Errorf("answer %q, reasoning %q, %d responses", s.answer, s.reasoning, len(s.responses))
	}
	if u := s.parsedUsage(); u == nil || u.PromptTokens != 25 || u.CompletionTokens != 15 {
		t.Errorf("usage %+v", u)
	}
}

// messagesStream is an Anthropic stream of n text deltas, as the mock sends it.
func messagesStream(n int) []byte {
	var b bytes.Buffer
	b.WriteString("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n")
	for i := 0; i < n; i++ {
		b.WriteString(`event: content_block_delta` + "\n" + `data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" word` + strconv.Itoa(i%100) + `"}}` + "\n\n")
	}
	b.WriteString("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":" + strconv.Itoa(n) + "}}\n\n")
	b.WriteString("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
	return b.Bytes()
}

// Reading a Messages API delta allocates nothing, as a chat chunk: the
// allocations of a long stream and of a one-delta stream are the same.
func TestMessagesChunkAllocations(t *testing.T) {
	body, one := messagesStream(64), messagesStream(1)
	w := newWorker(0)
	w.st.messagesAPI = true
	rec := &record.Record{}
	long, short := longShortAllocs(w, bytes.NewReader(body), body, one, rec, 20)
	if len(rec.Responses) != 1 || !w.st.done {
		t.Fatalf("%d responses, done %v", len(rec.Responses), w.st.done)
	}
	if long > short {
		t.Errorf("%.0f allocations for 64 deltas, %.0f for one: a delta allocates", long, short)
	}
}

// The x-api-key of anthropic_messages is a secret like a Bearer token: an
// error that echoes it is recorded masked.
func TestAnthropicKeyMasked(t *testing.T) {
	o := &options.Options{Models: []string{"m"}, URLs: []string{"127.0.0.1:1"}, EndpointType: "anthropic_messages",
		RequestTimeout: 1, APIKey: "sk-ant-secret-0123456789"}
	cfg, err := ConfigFrom(o, "t")
	if err != nil {
		t.Fatal(err)
	}
	rec := &record.Record{Error: &record.Error{Message: "invalid x-api-key sk-ant-secret-0123456789"}}
	maskSecrets(rec, cfg.secrets)
	if strings.Contains(rec.Error.Message, "sk-ant-secret") {
		t.Errorf("key not masked: %s", rec.Error.Message)
	}
}
