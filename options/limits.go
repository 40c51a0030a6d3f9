package options

// Upper bounds of sizes a run can hold: beyond them the client would run out
// of memory or hang before sending anything, so they are refused at validation.
const (
	// MaxConcurrency bounds --concurrency, --warmup-concurrency and
	// --num-users: each lane (or user) is a goroutine with its own buffers and
	// connection, and 100,000 open
	// connections already pass most systems' file-descriptor limits.
	MaxConcurrency = 100_000
	// MaxDatasetEntries bounds --num-dataset-entries: the dataset is built
	// whole before the run, each conversation's text and body held (200,000 of
	// the default 550 tokens: 1.3 GB of RSS, measured; a million ran out of
	// memory under a 4 GB limit). ShareGPT's ~94,000 conversations fit.
	MaxDatasetEntries = 200_000
	// MaxPromptTokens bounds the synthetic prompt lengths: a million tokens is
	// the longest context window servers commonly take (GPT-4.1, Gemini,
	// Qwen2.5-1M, Llama 4 Maverick). Llama 4 Scout's 10 million is left out: a
	// tokenizer here takes about 12 s to count a prompt that long, in one
	// call, and SIGTERM during the build must stop it within a second.
	MaxPromptTokens = 1_000_000
)

// bound is a setting's largest value and what it stands for.
type bound struct {
	most float64
	why  string
}

var (
	laneBound  = bound{MaxConcurrency, "lanes, one goroutine and connection each"}
	entryBound = bound{MaxDatasetEntries, "conversations, all built before the run"}
	tokenBound = bound{MaxPromptTokens, "tokens, the longest context window servers commonly take"}
)

// upper is the bound of each bounded setting.
var upper = map[string]bound{
	"concurrency":                         laneBound,
	"warmup-concurrency":                  laneBound,
	"num-users":                           {MaxConcurrency, "users, one goroutine and connection each"},
	"num-dataset-entries":                 entryBound,
	"synthetic-input-tokens-mean":         tokenBound,
	"synthetic-input-tokens-stddev":       tokenBound,
	"prompt-prefix-length":                tokenBound,
	"shared-system-prompt-length":         tokenBound,
	"user-context-prompt-length":          tokenBound,
	"rankings-passages-prompt-token-mean": tokenBound,
	"rankings-query-prompt-token-mean":    tokenBound,
}

// checkUpper refuses a value of name above its bound in upper.
func checkUpper(name string, x float64) error {
	if b, ok := upper[name]; ok && x > b.most {
		return bad(name, "%g is above the limit of %d %s", x, int64(b.most), b.why)
	}
	return nil
}
