package probe

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// TestAnswerIsScoredAgainstReference sends turns with and without a reference
// to the fake server (which answers "w0 w1 w2 w3 w4") and checks each record's
// word error rate; failed requests get none.
func TestAnswerIsScoredAgainstReference(t *testing.T) {
	for _, tc := range []struct {
		mode, ref string
		want      float64 // -1: no rate
	}{
		{"", "W0, w1 w2 w3 w4.", 0},
		{"", "w0 w1 w2 w3 w9", 0.2},
		{"", "w0 w1", 1.5},
		{"", "", -1},
		{"500", "w0 w1 w2 w3 w4", -1},
	} {
		f := &fakeServer{}
		f.mode.Store(tc.mode)
		srv := httptest.NewServer(f)
		ds := &inputs.Dataset{Conversations: []inputs.Conversation{{ID: "c", Turns: []inputs.Turn{{
			Body: inputs.Body{[]byte(`{"messages":[]}`)}, ContentType: "application/json", Model: "m", Reference: tc.ref}}}}}
		cfg := Config{Concurrency: 1, RequestCount: 1, Timeout: 10 * time.Second, Streaming: true,
			Targets: []Target{{Name: "t", URL: srv.URL + "/v1/chat/completions"}}}
		var mu sync.Mutex
		var recs []*record.Record
		err := Run(context.Background(), cfg, ds, func(r *record.Record) { mu.Lock(); recs = append(recs, r); mu.Unlock() })
		srv.Close()
		if err != nil || len(recs) != 1 {
			t.Fatalf("run: %v, %d records", err, len(recs))
		}
		got := recs[0].WordErrorRate
		switch {
		case tc.want < 0 && got != nil:
			t.Errorf("mode %q ref %q: WER %v, want none", tc.mode, tc.ref, *got)
		case tc.want >= 0 && (got == nil || *got != tc.want):
			t.Errorf("mode %q ref %q: WER %v, want %v", tc.mode, tc.ref, got, tc.want)
		}
	}
}
