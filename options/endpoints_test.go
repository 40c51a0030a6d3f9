package options

import (
	"strings"
	"testing"
)

// AIPerf turns --streaming off, with a warning, for an endpoint type that
// never streams; streaming endpoints keep it.
func TestDropUnsupportedStreaming(t *testing.T) {
	cases := []struct {
		endpoint string
		stream   bool // after
		warns    bool
	}{
		{"chat", true, false},
		{"completions", true, false},
		{"audio_transcription", true, false},
		{"embeddings", false, true},
		{"nim_rankings", false, true},
		{"hf_tei_rankings", false, true},
		{"cohere_rankings", false, true},
		{"no_such_type", true, false}, // Validate names it
	}
	for _, c := range cases {
		o := mustParse(t, "-m", "x", "--streaming", "--endpoint-type", c.endpoint)
		w := o.DropUnsupportedStreaming()
		if o.Streaming != c.stream || (w != "") != c.warns || (c.warns && !strings.Contains(w, c.endpoint)) {
			t.Errorf("%s: streaming %v, warning %q", c.endpoint, o.Streaming, w)
		}
	}
}

func TestValidateEndpointSettings(t *testing.T) {
	checkValidate(t, []string{"-m", "x"}, strings.Contains, []argsCase{
		{[]string{"--endpoint-type", "completions"}, ""},
		{[]string{"--endpoint-type", "embeddings", "--prompt-batch-size", "8"}, ""},
		{[]string{"--batch-size", "0"}, "--prompt-batch-size (AIPERF_PROMPT_BATCH_SIZE): must be >= 1, got 0"},
		{[]string{"--endpoint-type", "nim_rankings", "--rankings-passages-mean", "32", "--rankings-passages-stddev", "4"}, ""},
		{[]string{"--rankings-passages-mean", "0"}, "--rankings-passages-mean (AIPERF_RANKINGS_PASSAGES_MEAN): must be >= 1, got 0"},
		{[]string{"--rankings-passages-stddev", "-1"}, "--rankings-passages-stddev (AIPERF_RANKINGS_PASSAGES_STDDEV): must be >= 0"},
		{[]string{"--rankings-passages-prompt-token-mean", "0"}, "--rankings-passages-prompt-token-mean (AIPERF_RANKINGS_PASSAGES_PROMPT_TOKEN_MEAN): must be >= 1"},
		{[]string{"--rankings-passages-prompt-token-stddev", "-2"}, "--rankings-passages-prompt-token-stddev (AIPERF_RANKINGS_PASSAGES_PROMPT_TOKEN_STDDEV): must be >= 0"},
		{[]string{"--rankings-query-prompt-token-mean", "0"}, "--rankings-query-prompt-token-mean (AIPERF_RANKINGS_QUERY_PROMPT_TOKEN_MEAN): must be >= 1"},
		{[]string{"--rankings-query-prompt-token-stddev", "-3"}, "--rankings-query-prompt-token-stddev (AIPERF_RANKINGS_QUERY_PROMPT_TOKEN_STDDEV): must be >= 0"},
		{[]string{"--endpoint-type", "rerank"}, "--endpoint-type (AIPERF_ENDPOINT_TYPE): unknown endpoint type \"rerank\" (want chat, audio_transcription, completions, embeddings"},
		{[]string{"--endpoint-type", "template"}, "--endpoint-type (AIPERF_ENDPOINT_TYPE): template is not yet supported: its body template is Jinja2"},
		{[]string{"--endpoint-type", "anthropic_messages"}, ""},
	})
}

// Each endpoint type has AIPerf's path; TGI streams on /generate_stream.
func TestEndpointPaths(t *testing.T) {
	for _, c := range []argsCase{
		{[]string{"--endpoint-type", "completions"}, "/v1/completions"},
		{[]string{"--endpoint-type", "embeddings"}, "/v1/embeddings"},
		{[]string{"--endpoint-type", "nim_rankings"}, "/v1/ranking"},
		{[]string{"--endpoint-type", "hf_tei_rankings"}, "/rerank"},
		{[]string{"--endpoint-type", "cohere_rankings"}, "/v2/rerank"},
		{[]string{"--endpoint-type", "huggingface_generate"}, "/generate"},
		{[]string{"--endpoint-type", "huggingface_generate", "--streaming"}, "/generate_stream"},
		{[]string{"--endpoint-type", "huggingface_generate", "--streaming", "--endpoint", "v1/tgi"}, "/v1/tgi"},
	} {
		if got := mustParse(t, append([]string{"-m", "x"}, c.args...)...).EndpointPath(); got != c.want {
			t.Errorf("%v: path %s, want %s", c.args, got, c.want)
		}
	}
}
