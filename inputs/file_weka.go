package inputs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// TypeWeka is --custom-dataset-type weka_trace: Weka's kv-cache-tester agentic
// traces, one JSON object per file (a file, or a directory of .json files).
const TypeWeka = "weka_trace"

// wekaTrace is one trace file, as AIPerf's WekaTrace model reads it.
type wekaTrace struct {
	ID           string          `json:"id"`
	Models       []string        `json:"models"`
	BlockSize    int             `json:"block_size"`
	HashIDScope  string          `json:"hash_id_scope"`
	ToolTokens   int             `json:"tool_tokens"`
	SystemTokens int             `json:"system_tokens"`
	Requests     []wekaRequest   `json:"requests"`
	Totals       json.RawMessage `json:"totals"`
}

// wekaRequest is one entry of a trace's requests: an API call ("n" normal,
// "s" streaming) or a "subagent" marker.
type wekaRequest struct {
	T           float64  `json:"t"`
	Type        string   `json:"type"`
	Model       string   `json:"model"`
	In          int      `json:"in"`
	Out         int      `json:"out"`
	HashIDs     []int    `json:"hash_ids"`
	InputTypes  []string `json:"input_types"`
	OutputTypes []string `json:"output_types"`
	Stop        string   `json:"stop"`
	APITime     *float64 `json:"api_time"`
	ThinkTime   *float64 `json:"think_time"`
	TTFT        *float64 `json:"ttft"`
	// subagent markers only (read so the file decodes, then refused)
	AgentID      string          `json:"agent_id"`
	SubagentType string          `json:"subagent_type"`
	DurationMS   *float64        `json:"duration_ms"`
	TotalTokens  *int            `json:"total_tokens"`
	ToolUseCount *int            `json:"tool_use_count"`
	Status       string          `json:"status"`
	Requests     json.RawMessage `json:"requests"`
	Models       []string        `json:"models"`
	ToolTokens   int             `json:"tool_tokens"`
	SystemTokens int             `json:"system_tokens"`
}

// weka makes a dataset from Weka traces as the linear part of AIPerf's
// WekaTraceLoader: each trace is one conversation whose API calls are its
// turns in order, each prompt input_length tokens built from one corpus block
// per hash id (the trace's block_size), sent whole as one user message (as
// mooncake sessions), max tokens = out; --synthesis-max-isl skips longer requests. A later turn waits the recorded
// start-to-start gap (or think_time with --use-think-time-only) after the one
// before ends. Subagent entries, which AIPerf turns into child conversations
// joined by prerequisites, are refused.
// first, when not nil, is the first file's trace, already read through r.
func (b *builder) weka(path string, r *inputReader, first *wekaTrace) (*Dataset, error) {
	files, err := wekaFiles(path)
	if err != nil {
		return nil, err
	}
	var traces []*wekaTrace
	for i, f := range files {
		if i == 0 && first != nil {
			traces = append(traces, first)
			continue
		}
		tr, err := readWeka(r, f)
		if err != nil {
			return nil, err
		}
		traces = append(traces, tr)
	}
	return b.wekaDataset(path, traces)
}

// readWeka reads and checks one trace file.
func readWeka(r *inputReader, f string) (*wekaTrace, error) {
	data, err := r.read(f)
	if err != nil {
		return nil, err
	}
	return parseWeka(f, data)
}

// wekaDataset makes one conversation per trace, dropping those over
// --max-context-length; source names where they came from.
func (b *builder) wekaDataset(source string, traces []*wekaTrace) (*Dataset, error) {
	if f := b.o.SynthesisFlag(); f != "" && f != "synthesis-max-isl" && f != "synthesis-max-osl" {
		return nil, &options.Error{Flag: f, Msg: fmt.Sprintf("does not apply to weka_trace, and %s is one (only --synthesis-max-isl and --synthesis-max-osl do)", source)}
	}
	d := &Dataset{}
	seen := map[string]bool{}
	for _, tr := range traces {
		if seen[tr.ID] {
			return nil, fmt.Errorf("%s: trace id %s appears twice", source, quoted(tr.ID))
		}
		seen[tr.ID] = true
		if m := b.o.MaxContextLength; m > 0 && b.wekaPeak(tr) > m {
			continue // as AIPerf: a trace that would overflow the context is dropped whole
		}
		if c := b.wekaConversation(tr); len(c.Turns) > 0 {
			d.Conversations = append(d.Conversations, c)
		}
	}
	if len(d.Conversations) == 0 {
		f := "max-context-length"
		if b.o.MaxContextLength == 0 {
			f = "synthesis-max-isl"
		}
		return nil, &options.Error{Flag: f, Msg: fmt.Sprintf("no request of %s is left (--max-context-length %d drops whole traces, --synthesis-max-isl %d single requests)", source, b.o.MaxContextLength, b.o.SynthesisMaxISL)}
	}
	return d, nil
}

// sniffWeka tells whether path is a Weka trace .json file, or a directory
// whose first .json file is one, as AIPerf's WekaTraceLoader.can_load probes;
// it returns that first trace, and the reader that counted it against the
// bound, so it is not read twice.
func sniffWeka(path string, limit int64) (*wekaTrace, *inputReader, bool) {
	files, err := wekaFiles(path)
	if err != nil || !strings.HasSuffix(files[0], ".json") {
		return nil, nil, false
	}
	r := newInputReader(path, limit)
	tr, err := readWeka(r, files[0])
	return tr, r, err == nil
}

// wekaFiles lists the trace files: path itself, or the .json files in it.
func wekaFiles(path string) ([]string, error) {
	return inputFiles(path, ".json Weka trace", func(dir string) ([]string, error) {
		return filepath.Glob(filepath.Join(dir, "*.json"))
	})
}

// inputFiles is --input-file path itself, or the files list finds in the
// directory path, sorted; what names them when there are none.
func inputFiles(path, what string, list func(dir string) ([]string, error)) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("--input-file: %w", err)
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	files, err := list(path)
	if err != nil {
		return nil, fmt.Errorf("--input-file: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("--input-file: %s holds no %s files", path, what)
	}
	sort.Strings(files)
	return files, nil
}

// parseWeka decodes and checks one trace; path names it in errors.
func parseWeka(path string, data []byte) (*wekaTrace, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // as AIPerf's models (extra="forbid")
	var tr wekaTrace
	if err := dec.Decode(&tr); err != nil {
		return nil, fmt.Errorf("%s: not a Weka trace: %s", path, cleanJSONError(err))
	}
	switch {
	case tr.ID == "":
		return nil, fmt.Errorf("%s: id is required", path)
	case tr.BlockSize <= 0:
		return nil, fmt.Errorf("%s: block_size must be above 0, got %d", path, tr.BlockSize)
	case tr.HashIDScope != "local":
		return nil, fmt.Errorf("%s: hash_id_scope must be \"local\", got %s", path, quoted(tr.HashIDScope))
	}
	n := 0
	for i, r := range tr.Requests {
		switch r.Type {
		case "n", "s":
			n++
		case "subagent":
			return nil, fmt.Errorf("%s: request %d is a subagent (%s): subagents (AIPerf's child conversations joined by spawn prerequisites) are not supported; only linear traces", path, i+1, clipped(r.AgentID))
		default:
			return nil, fmt.Errorf("%s: request %d: type must be \"n\", \"s\" or \"subagent\", got %s", path, i+1, quoted(r.Type))
		}
		if r.In < 1 || r.In > maxInputLength {
			return nil, fmt.Errorf("%s: request %d: in must be between 1 and %d, got %d", path, i+1, maxInputLength, r.In)
		}
		if r.Out < 0 {
			return nil, fmt.Errorf("%s: request %d: out must not be negative", path, i+1)
		}
		if err := checkWekaTimes(r); err != nil { // before a gap between two becomes a Duration
			return nil, fmt.Errorf("%s: request %d: %w", path, i+1, err)
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("%s: the trace has no requests", path)
	}
	return &tr, nil
}

// checkWekaTimes refuses a request's t or think_time (seconds) that is
// negative, not a number, or too large for a Duration.
func checkWekaTimes(r wekaRequest) error {
	if err := checkTime("t", r.T, time.Second); err != nil {
		return err
	}
	if r.ThinkTime != nil {
		return checkTime("think_time", *r.ThinkTime, time.Second)
	}
	return nil
}

// wekaOutput is a request's max tokens: out capped by --synthesis-max-osl, at least 1.
func (b *builder) wekaOutput(r wekaRequest) int {
	out := r.Out
	if m := b.o.SynthesisMaxOSL; m > 0 {
		out = min(out, m)
	}
	return max(1, out)
}

// wekaPeak is the most context a request of the trace asks for: its input
// plus the output it may generate (what the server checks against its limit).
func (b *builder) wekaPeak(tr *wekaTrace) int {
	peak := 0
	for _, r := range tr.Requests {
		peak = max(peak, r.In+b.wekaOutput(r))
	}
	return peak
}

// wekaConversation builds one trace's conversation (no turns when every
// request is over --synthesis-max-isl or outside the fixed-schedule offsets).
func (b *builder) wekaConversation(tr *wekaTrace) Conversation {
	var reqs []wekaRequest
	for _, r := range tr.Requests {
		if m := b.o.SynthesisMaxISL; m > 0 && r.In > m {
			continue // as AIPerf: a request longer than --synthesis-max-isl is skipped
		}
		if ms := r.T * 1000; ms < float64(b.o.FixedStartOffsetMs) || b.o.FixedEndOffsetMs > 0 && ms > float64(b.o.FixedEndOffsetMs) {
			continue // as AIPerf: the fixed-schedule offsets select requests by t
		}
		reqs = append(reqs, r)
	}
	sort.SliceStable(reqs, func(i, j int) bool { return reqs[i].T < reqs[j].T })
	c := Conversation{ID: tr.ID}
	blocks := map[[2]int]string{}
	for k, r := range reqs {
		if b.err == nil { // the requests' t are sent as delays: their span is held to the same rule
			b.err = b.stamps.add(r.T*1000, wekaAt{tr.ID, r.T})
		}
		ts := turnSpec{msg: message{Role: "user", Texts: []string{b.hashPrompt(r.In, r.HashIDs, tr.BlockSize, blocks)}}, maxTokens: b.wekaOutput(r)}
		if k > 0 {
			ts.delay = b.wekaDelay(reqs[k-1], r)
		}
		c.Turns = append(c.Turns, b.turn(ts))
	}
	return c
}

// wekaDelay is the wait before request r after prev ends: the recorded
// start-to-start gap (as AIPerf), or r's think_time with
// --use-think-time-only; --trace-idle-gap-cap-seconds shortens it to the cap
// (a longer gap between two request starts of a linear trace is compressed to
// the cap), never below 0.
func (b *builder) wekaDelay(prev, r wekaRequest) time.Duration {
	s := r.T - prev.T
	if b.o.UseThinkTimeOnly && r.ThinkTime != nil {
		s = *r.ThinkTime
	}
	if c := b.o.TraceIdleGapCap; c > 0 {
		s = min(s, c)
	}
	if s <= 0 { // t and think_time are checked on reading: s fits a Duration
		return 0
	}
	return time.Duration(s * float64(time.Second))
}

// hashPrompt builds n tokens of prompt from one cached corpus block per hash
// id (blockSize tokens each, the last one shorter); tokens past the hash ids
// are fresh text.
func (b *builder) hashPrompt(n int, hashes []int, blockSize int, blocks map[[2]int]string) string {
	var parts []string
	done := 0
	for _, h := range hashes {
		if done >= n {
			break
		}
		size := min(blockSize, n-done)
		key := [2]int{h, size}
		if _, ok := blocks[key]; !ok {
			blocks[key] = b.text.prompt(b.rng, size)
		}
		parts = append(parts, blocks[key])
		done += size
	}
	if done < n {
		parts = append(parts, b.text.prompt(b.rng, n-done))
	}
	return strings.Join(parts, " ")
}
