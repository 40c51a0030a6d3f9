package metrics

import (
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Endpoints that produce no tokens (AIPerf's produces_tokens: false) have
// request latency and no token rows; the others keep them.
func TestTokenMetricsPerEndpoint(t *testing.T) {
	cases := []struct {
		endpoint string
		tokens   bool
	}{
		{"chat", true},
		{"completions", true},
		{"audio_transcription", false},
		{"embeddings", false},
		{"nim_rankings", false},
		{"hf_tei_rankings", false},
		{"cohere_rankings", false},
	}
	for _, c := range cases {
		r := record.Record{EndpointType: c.endpoint, InputTokens: 12, OutputTokens: 0,
			Responses: []record.Response{{Offset: 40 * time.Millisecond, Kind: record.Content}}}
		m := ForRecord(&r)
		if v, ok := m.Get(RequestLatency); !ok || v != 40 {
			t.Errorf("%s: request latency %v (%v), want 40 ms", c.endpoint, v, ok)
		}
		if _, ok := m.Get(TTFT); ok {
			t.Errorf("%s: a request that was not streamed has no TTFT", c.endpoint)
		}
		for _, tag := range []string{ISL, OSL} {
			if _, ok := m.Get(tag); ok != c.tokens {
				t.Errorf("%s: %s present = %v, want %v", c.endpoint, tag, ok, c.tokens)
			}
		}
		if ProducesTokensFor(c.endpoint) != c.tokens {
			t.Errorf("%s: ProducesTokensFor = %v", c.endpoint, !c.tokens)
		}
	}
}
