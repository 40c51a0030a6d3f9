package options

// Mock shapes the embedded mock server that --mock starts (ours). The same
// settings are the flags of `mock-server`, without the "mock." prefix. TTFT and
// ITL have no default tag: each command fills them with its own default before
// Register (serve's mock is slower, so its dashboards look like a real server's).
type Mock struct {
	TTFTms          float64 `flag:"mock.ttft" envconfig:"AIPERF_MOCK_TTFT" desc:"mock: time to first token in ms"`
	ITLms           float64 `flag:"mock.itl" envconfig:"AIPERF_MOCK_ITL" desc:"mock: inter-token latency in ms"`
	OutputTokens    int     `flag:"mock.output-tokens" envconfig:"AIPERF_MOCK_OUTPUT_TOKENS" default:"0" desc:"mock: output length when the request asks none (0 = 0.8-1.2x the prompt, min 16)"`
	MaxOutputTokens int     `flag:"mock.max-output-tokens" envconfig:"AIPERF_MOCK_MAX_OUTPUT_TOKENS" default:"131072" desc:"mock: longest answer in tokens; a request asking for more gets a 400, as from a server whose context is too short (at most 1048576)"`
	ReasoningTokens int     `flag:"mock.reasoning-tokens" envconfig:"AIPERF_MOCK_REASONING_TOKENS" default:"0" desc:"mock: stream the first K tokens as reasoning_content"`
	ErrorRate       float64 `flag:"mock.error-rate" envconfig:"AIPERF_MOCK_ERROR_RATE" default:"0" desc:"mock: share 0..1 of requests answered with HTTP 500"`
	WordErrorRate   float64 `flag:"mock.word-error-rate" envconfig:"AIPERF_MOCK_WORD_ERROR_RATE" default:"0" desc:"mock: share 0..1 of words it gets wrong when it answers a clip of the speech set (--audio-source speech)"`
}
