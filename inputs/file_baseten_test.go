package inputs

import (
	"encoding/json"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// basetenTrace writes testdata/baseten/trace.jsonl as a Parquet trace.
func basetenTrace(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "trace.parquet")
	hubtest.BasetenFile(t, "testdata/baseten/trace.jsonl", p)
	return p
}

// bodyFields decodes a request body loosely (the trace adds fields).
func bodyFields(t *testing.T, tr Turn) map[string]json.RawMessage {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(tr.Body.Bytes(), &m); err != nil {
		t.Fatalf("body %s: %v", tr.Body.Bytes(), err)
	}
	return m
}

// turnView is what a baseten turn is checked for.
type turnView struct {
	Prompt    string
	At        time.Duration // timestamp, or -delay when the turn waits for the one before
	MaxTokens int
	Body      string // min_tokens, hash_ids and block_size as sent
}

func basetenView(t *testing.T, d *Dataset) [][]turnView {
	t.Helper()
	return turnsOf(d, func(tr Turn) turnView {
		f := bodyFields(t, tr)
		var parts []string
		for _, k := range []string{"min_tokens", "hash_ids", "block_size"} {
			if v, ok := f[k]; ok {
				parts = append(parts, k+"="+string(v))
			}
		}
		at := tr.Timestamp
		if !tr.HasTimestamp {
			at = -tr.Delay
		}
		return turnView{promptText(t, tr), at, tr.MaxTokens, strings.Join(parts, " ")}
	})
}

func promptText(t *testing.T, tr Turn) string {
	t.Helper()
	var c struct {
		Messages []struct {
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(tr.Body.Bytes(), &c); err != nil || len(c.Messages) == 0 {
		t.Fatalf("body %s: %v", tr.Body.Bytes(), err)
	}
	var s string
	if json.Unmarshal(c.Messages[len(c.Messages)-1].Content, &s) == nil {
		return s
	}
	var ps []contentPart
	if err := json.Unmarshal(c.Messages[len(c.Messages)-1].Content, &ps); err != nil || len(ps) == 0 {
		t.Fatalf("content %s", c.Messages[0].Content)
	}
	return ps[0].Text
}

const ms = time.Millisecond

// The cases of AIPerf's test_baseten_trace.py on testdata/baseten (its README
// says which row follows which).
func TestBasetenTrace(t *testing.T) {
	hinted := turnView{"hinted", 0, 4, "min_tokens=4 hash_ids=[1,2] block_size=64"}
	second := turnView{"second turn of s1", 2000 * ms, 1, "min_tokens=1"}
	alone := turnView{"no session", 500 * ms, 2, "min_tokens=2"}
	minute := turnView{"minute1", 60000 * ms, 3, "min_tokens=3"}
	with := func(v turnView, f func(*turnView)) turnView { f(&v); return v }
	at := func(d time.Duration) func(*turnView) { return func(v *turnView) { v.At = d } }
	tests := []struct {
		name  string
		flags []string
		want  [][]turnView
	}{
		{"open loop: every turn at its time", nil, [][]turnView{{hinted, second}, {alone}, {minute}}},
		{"replay speedup 10", []string{"--replay-speedup", "10"},
			[][]turnView{{hinted, with(second, at(200*ms))}, {with(alone, at(50*ms))}, {with(minute, at(6000*ms))}}},
		{"idle gaps capped at 1 s", []string{"--max-idle-gap-cap-seconds", "1"},
			[][]turnView{{hinted, with(second, at(1500*ms))}, {alone}, {with(minute, at(2500*ms))}}},
		{"closed loop: the gap less the recorded duration", []string{"--no-open-loop-replay"},
			[][]turnView{{hinted, with(second, at(-1500*ms))}, {alone}, {minute}}},
		{"closed loop, idle gaps between session starts capped", []string{"--no-open-loop-replay", "--max-idle-gap-cap-seconds", "1"},
			[][]turnView{{hinted, with(second, at(-1500*ms))}, {alone}, {with(minute, at(1500*ms))}}},
		{"closed loop at speedup 2 halves the gap and the duration", []string{"--no-open-loop-replay", "--replay-speedup", "2"},
			[][]turnView{{hinted, with(second, at(-750*ms))}, {with(alone, at(250*ms))}, {with(minute, at(30000*ms))}}},
		{"strict open loop: one row, one conversation", []string{"--open-loop-strict"},
			[][]turnView{{hinted}, {second}, {alone}, {minute}}}, // session order, as AIPerf explodes them
		{"KV hints omitted", []string{"--omit-kv-hints"},
			[][]turnView{{with(hinted, func(v *turnView) { v.Body = "min_tokens=4" }), second}, {alone}, {minute}}},
		{"no min_tokens", []string{"--no-force-min-tokens"},
			[][]turnView{{with(hinted, func(v *turnView) { v.Body = "hash_ids=[1,2] block_size=64" }), with(second, func(v *turnView) { v.Body = "" })},
				{with(alone, func(v *turnView) { v.Body = "" })}, {with(minute, func(v *turnView) { v.Body = "" })}}},
		{"max-isl skips longer rows", []string{"--synthesis-max-isl", "6"}, [][]turnView{{hinted}, {alone}}},
		{"output multiplier, then max-osl", []string{"--synthesis-output-len-multiplier", "2", "--synthesis-max-osl", "5"},
			[][]turnView{{with(hinted, func(v *turnView) { v.MaxTokens, v.Body = 5, "min_tokens=5 hash_ids=[1,2] block_size=64" }),
				with(second, func(v *turnView) { v.MaxTokens, v.Body = 2, "min_tokens=2" })},
				{with(alone, func(v *turnView) { v.MaxTokens, v.Body = 4, "min_tokens=4" })},
				{with(minute, func(v *turnView) { v.MaxTokens, v.Body = 5, "min_tokens=5" })}}},
	}
	p := basetenTrace(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, kind := range []string{"baseten_trace", ""} { // explicit and inferred from .parquet
				d := loadArgs(t, p, kind, tc.flags...)
				if !d.FixedSchedule {
					t.Fatal("a baseten trace is a fixed schedule")
				}
				if got := basetenView(t, d); !reflect.DeepEqual(got, tc.want) {
					t.Fatalf("%s:\n got %+v\nwant %+v", kind, got, tc.want)
				}
			}
		})
	}
}

// A tiny sample ratio keeps exactly one whole session (AIPerf's floor) and no
// row without one; the same seed keeps the same one.
func TestBasetenSessionSampling(t *testing.T) {
	p := basetenTrace(t)
	kept := map[string]bool{}
	for seed := int64(1); seed <= 20; seed++ {
		o := opts(t, "-m", "x", "--input-file", p, "--trace-session-sample-ratio", "1e-9")
		d, err := Build(o, tokens.Words{}, rand.New(rand.NewSource(seed)))
		if err != nil {
			t.Fatal(err)
		}
		v := basetenView(t, d)
		if len(v) != 1 || v[0][0].Prompt == "no session" {
			t.Fatalf("seed %d: kept %+v, want one session", seed, v)
		}
		if v[0][0].Prompt == "hinted" && len(v[0]) != 2 {
			t.Fatalf("seed %d: session s1 not kept whole: %+v", seed, v)
		}
		kept[v[0][0].Prompt] = true
		again, _ := Build(o, tokens.Words{}, rand.New(rand.NewSource(seed)))
		if !reflect.DeepEqual(basetenView(t, again), v) {
			t.Fatalf("seed %d: not reproducible", seed)
		}
	}
	if len(kept) != 2 {
		t.Fatalf("20 seeds kept only %v; the fallback session should be drawn at random", kept)
	}
	// Ratio 1 keeps everything.
	if d := loadArgs(t, p, "", "--trace-session-sample-ratio", "1"); len(d.Conversations) != 3 {
		t.Fatalf("ratio 1: %d conversations", len(d.Conversations))
	}
}

func TestBasetenRefusals(t *testing.T) {
	p := basetenTrace(t)
	tests := []refusal{
		{[]string{"--synthesis-speedup-ratio", "2"}, "--synthesis-speedup-ratio (AIPERF_SYNTHESIS_SPEEDUP_RATIO): does not apply to baseten_trace"},
		{[]string{"--synthesis-prefix-len-multiplier", "2"}, "--synthesis-prefix-len-multiplier (AIPERF_SYNTHESIS_PREFIX_LEN_MULTIPLIER): does not apply to baseten_trace"},
		{[]string{"--extra-inputs", "min_tokens:3"}, "--extra-inputs (AIPERF_EXTRA_INPUTS): min_tokens is set per request by the baseten trace; pass --no-force-min-tokens"},
		{[]string{"--extra-inputs", "hash_ids:[1]"}, "--extra-inputs (AIPERF_EXTRA_INPUTS): hash_ids is set per request by the baseten trace; pass --omit-kv-hints"},
	}
	for _, tc := range tests {
		err := buildErr(t, append([]string{"-m", "x", "--input-file", p}, tc.args...)...)
		var oe *options.Error
		if !errors.As(err, &oe) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %q", tc.args, err, tc.want)
		}
	}
	// With the opt-out the user's value goes through.
	d := loadArgs(t, p, "", "--extra-inputs", "min_tokens:3", "--no-force-min-tokens")
	if got := string(bodyFields(t, d.Conversations[0].Turns[0])["min_tokens"]); got != "3" {
		t.Fatalf("min_tokens %s, want the user's 3", got)
	}
	// A baseten flag on a JSONL file, and a Parquet file that is no baseten trace.
	err := buildErr(t, "-m", "x", "--input-file", "testdata/single_turn.jsonl", "--omit-kv-hints")
	if err == nil || !strings.HasPrefix(err.Error(), "--omit-kv-hints (AIPERF_OMIT_KV_HINTS): applies only to baseten_trace input files") {
		t.Fatalf("baseten flag on JSONL: %v", err)
	}
	wantBuildError(t, "single_turn.jsonl: not a Parquet file", "-m", "x", "--input-file", "testdata/single_turn.jsonl", "--custom-dataset-type", "baseten_trace")
}

// A damaged Parquet file is one error line naming it, never a panic.
func TestBasetenDamagedFile(t *testing.T) {
	p := basetenTrace(t)
	data := testkit.ReadFile(t, p)
	for _, cut := range []int{len(data) / 2, len(data) - 9, 10} {
		q := filepath.Join(t.TempDir(), "cut.parquet")
		if err := os.WriteFile(q, data[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		wantBuildError(t, "cut.parquet", "-m", "x", "--input-file", q)
	}
	// Flip bytes in the middle (page data): an error or a load, not a panic.
	for i := 4; i < len(data)-8; i += 7 {
		bad := append([]byte(nil), data...)
		bad[i] ^= 0xff
		q := filepath.Join(t.TempDir(), "flip.parquet")
		os.WriteFile(q, bad, 0o644)
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("byte %d flipped: panic %v", i, r)
				}
			}()
			Build(opts(t, "-m", "x", "--input-file", q), tokens.Words{}, rand.New(rand.NewSource(1)))
		}()
	}
}

// A baseten trace is a regular file, and its prompts have a bound of their
// own: Parquet compresses, so a small file may unpack to far more.
func TestBasetenBounds(t *testing.T) {
	p := basetenTrace(t)
	if _, err := readBaseten(p, 10); err == nil || !strings.Contains(err.Error(), "the prompts so far take more than the limit of 10 bytes") {
		t.Errorf("prompts over the bound: %v", err)
	}
	if rows, err := readBaseten(p, 1<<20); err != nil || len(rows) == 0 {
		t.Errorf("under the bound: %d rows, %v", len(rows), err)
	}
	wantBuildError(t, "/dev/zero: not a regular file (a device)", "-m", "x", "--input-file", "/dev/zero", "--custom-dataset-type", "baseten_trace")
}

// Two rows of a session centuries apart are refused, the row named, before
// their gap becomes a Duration (it would overflow to a negative wait).
func TestBasetenRowsTooFarApart(t *testing.T) {
	sid := "s"
	p := filepath.Join(t.TempDir(), "far.parquet")
	rows := []hubtest.BasetenRow{
		{TimestampStartUnixMs: 0, Prompt: "a", InputTokens: 1, OutputTokens: 1, ProvidedSessionID: &sid},
		{TimestampStartUnixMs: 1 << 62, Prompt: "b", InputTokens: 1, OutputTokens: 1, ProvidedSessionID: &sid},
	}
	if err := os.WriteFile(p, hubtest.Parquet(t, rows...), 0o644); err != nil {
		t.Fatal(err)
	}
	wantBuildError(t, p+": row 2: the time since the first row must be between 0 and 9223372036854 ms (2^63 ns), got 4.6", "-m", "x", "--input-file", p)
	wantBuildError(t, p+": row 2: the wait after the row before must be between 0 and 9223372036854 ms (2^63 ns), got 4.6", "-m", "x", "--input-file", p, "--no-open-loop-replay")
}
