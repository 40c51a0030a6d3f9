package inputs

import (
	"context"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// wekaTurn is what a Weka turn is checked for.
type wekaTurn struct {
	Words     int
	Delay     time.Duration
	MaxTokens int
}

func wekaView(t *testing.T, d *Dataset) map[string][]wekaTurn {
	t.Helper()
	out := map[string][]wekaTurn{}
	for _, c := range d.Conversations {
		if d.FixedSchedule {
			t.Fatal("a Weka trace is replayed by delays, not timestamps")
		}
		for _, tr := range c.Turns {
			ps := parts(t, decode(t, tr.Body))
			if len(ps) != 1 || tr.HasTimestamp {
				t.Fatalf("%s: want one text part and no timestamp: %s", c.ID, tr.Body.Bytes())
			}
			out[c.ID] = append(out[c.ID], wekaTurn{(tokens.Words{}).Count(ps[0].Text), tr.Delay, tr.MaxTokens})
		}
	}
	return out
}

// The fixtures follow AIPerf's weka_trace_models.py (the kv-cache-tester
// format): one JSON object per file, requests "n"/"s" with t, in, out,
// hash_ids, api_time and think_time in seconds.
func TestWekaTraces(t *testing.T) {
	const s = time.Second
	a := []wekaTurn{{10, 0, 5}, {14, 2500 * time.Millisecond, 1}, {20, 117500 * time.Millisecond, 30}}
	b := []wekaTurn{{100, 0, 900}}
	with := func(v []wekaTurn, f func([]wekaTurn)) []wekaTurn {
		v = append([]wekaTurn(nil), v...)
		f(v)
		return v
	}
	tests := []struct {
		name  string
		flags []string
		want  map[string][]wekaTurn
	}{
		{"start-to-start gaps, out 0 sent as 1", nil, map[string][]wekaTurn{"trace_a": a, "trace_b": b}},
		{"think time only", []string{"--use-think-time-only"},
			map[string][]wekaTurn{"trace_a": with(a, func(v []wekaTurn) { v[1].Delay, v[2].Delay = 1*s, 117*s }), "trace_b": b}},
		{"idle gaps capped at 10 s", []string{"--trace-idle-gap-cap-seconds", "10"},
			map[string][]wekaTurn{"trace_a": with(a, func(v []wekaTurn) { v[2].Delay = 10 * s }), "trace_b": b}},
		{"inter-turn delays capped at 1 s", []string{"--inter-turn-delay-cap-seconds", "1"},
			map[string][]wekaTurn{"trace_a": with(a, func(v []wekaTurn) { v[1].Delay, v[2].Delay = 1*s, 1*s }), "trace_b": b}},
		{"a trace over the context length is dropped", []string{"--max-context-length", "60"}, map[string][]wekaTurn{"trace_a": a}},
		{"max-isl skips longer requests; the next waits from the one kept before", []string{"--synthesis-max-isl", "14"},
			map[string][]wekaTurn{"trace_a": a[:2]}},
		{"max-isl 12 keeps only trace_a's first request", []string{"--synthesis-max-isl", "12"},
			map[string][]wekaTurn{"trace_a": a[:1]}},
		{"fixed-schedule offsets select requests by t (ms)", []string{"--fixed-schedule-start-offset", "1000", "--fixed-schedule-end-offset", "6000"},
			map[string][]wekaTurn{"trace_a": {{14, 0, 1}}, "trace_b": b}},
		{"max-osl caps out, and the peak it counts", []string{"--max-context-length", "200", "--synthesis-max-osl", "8"},
			map[string][]wekaTurn{"trace_a": with(a, func(v []wekaTurn) { v[2].MaxTokens = 8 }), "trace_b": {{100, 0, 8}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := loadArgs(t, "testdata/weka/traces", TypeWeka, tc.flags...)
			if got := wekaView(t, d); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tc.want)
			}
		})
	}
	// One file is one trace too.
	if got := wekaView(t, loadArgs(t, "testdata/weka/traces/trace_b.json", TypeWeka)); !reflect.DeepEqual(got, map[string][]wekaTurn{"trace_b": b}) {
		t.Fatalf("single file: %+v", got)
	}
}

// Equal hash ids are equal text: the blocks a later turn shares with an
// earlier one (1, 2, then 4; a partial last block is text of its own, as in
// mooncake traces) are the same words, so a server's prefix cache
// sees what the trace recorded.
func TestWekaHashIDsShareText(t *testing.T) {
	d := loadArgs(t, "testdata/weka/traces/trace_a.json", TypeWeka)
	text := func(i int) []string {
		return strings.Fields(parts(t, decode(t, d.Conversations[0].Turns[i].Body))[0].Text)
	}
	t0, t1, t2 := text(0), text(1), text(2)
	if !reflect.DeepEqual(t0[:8], t1[:8]) || reflect.DeepEqual(t0[8:], t1[8:10]) {
		t.Fatalf("turns 1 and 2 should share blocks 1, 2 only:\n%v\n%v", t0, t1)
	}
	if !reflect.DeepEqual(t1[:12], t2[:12]) {
		t.Fatalf("turn 3 should start with turn 2's full blocks 1, 2, 4:\n%v\n%v", t1, t2)
	}
}

// A subagent, or any malformed trace, fails with one line naming the file.
func TestWekaTraceErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct{ name, body, want string }{
		{"subagent", "", "request 2 is a subagent (agent_001): subagents (AIPerf's child conversations joined by spawn prerequisites) are not supported"},
		{"global scope", `{"id":"x","models":[],"block_size":4,"hash_id_scope":"global","requests":[]}`, `hash_id_scope must be "local"`},
		{"unknown field", `{"id":"x","models":[],"block_size":4,"hash_id_scope":"local","requests":[],"extra":1}`, `unknown field "extra"`},
		{"no requests", `{"id":"x","models":[],"block_size":4,"hash_id_scope":"local","requests":[]}`, "the trace has no requests"},
		{"bad type", `{"id":"x","models":[],"block_size":4,"hash_id_scope":"local","requests":[{"t":0,"type":"q","model":"m","in":1,"out":1}]}`, `request 1: type must be "n", "s" or "subagent", got "q"`},
		{"t past a Duration", `{"id":"x","models":[],"block_size":4,"hash_id_scope":"local","requests":[{"t":1e300,"type":"n","model":"m","in":1,"out":1}]}`, "request 1: t must be between 0 and 9223372036 s (2^63 ns), got 1e+300"},
		{"think_time past a Duration", `{"id":"x","models":[],"block_size":4,"hash_id_scope":"local","requests":[{"t":0,"type":"n","model":"m","in":1,"out":1,"think_time":1e300}]}`, "request 1: think_time must be between 0 and 9223372036 s (2^63 ns), got 1e+300"},
		{"zero block size", `{"id":"x","models":[],"block_size":0,"hash_id_scope":"local","requests":[]}`, "block_size must be above 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := "testdata/weka/subagent/trace_c.json"
			if tc.body != "" {
				path = filepath.Join(dir, tc.name+".json")
				if err := os.WriteFile(path, []byte(tc.body), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := buildErr(t, "-m", "x", "--input-file", path, "--custom-dataset-type", TypeWeka)
			if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want one line naming %s with %q", err, path, tc.want)
			}
		})
	}
	// A trace id twice is refused.
	dup := t.TempDir()
	for _, n := range []string{"x.json", "y.json"} {
		if err := os.WriteFile(filepath.Join(dup, n), []byte(`{"id":"same","models":[],"block_size":4,"hash_id_scope":"local","requests":[{"t":0,"type":"n","model":"m","in":1,"out":1}]}`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := buildErr(t, "-m", "x", "--input-file", dup, "--custom-dataset-type", TypeWeka); err == nil || !strings.Contains(err.Error(), `trace id "same" appears twice`) {
		t.Fatalf("duplicate ids: %v", err)
	}
	// Every trace dropped by --max-context-length names the flag.
	wantFlagError(t, "max-context-length", "", "-m", "x", "--input-file", "testdata/weka/traces", "--custom-dataset-type", TypeWeka, "--max-context-length", "10")
}

// --hf-weka-dataset reads the repo's .json files (one trace each) and .jsonl
// files (one trace a line) from the (fake) Hub, skipping other files, and
// replays them as the same traces read from disk.
func TestWekaFromHub(t *testing.T) {
	a, b := testkit.ReadFile(t, "testdata/weka/traces/trace_a.json"), testkit.ReadFile(t, "testdata/weka/traces/trace_b.json")
	compact := func(data []byte) []byte { return []byte(strings.Join(strings.Fields(string(data)), "")) }
	t.Setenv("HF_HOME", t.TempDir())
	t.Setenv("HF_HUB_OFFLINE", "")
	t.Setenv("HF_ENDPOINT", hubtest.New(t, map[string][]byte{
		"datasets/org/weka/traces/trace_a.json": a,
		"datasets/org/weka/more.jsonl":          append(append(compact(b), '\n'), '\n'),
		"datasets/org/weka/README.md":           []byte("# not a trace"),
		"datasets/org/empty/README.md":          []byte("# nothing"),
	}))
	d, err := Build(opts(t, "-m", "x", "--hf-weka-dataset", "org/weka"), tokens.Words{}, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	want := wekaView(t, loadArgs(t, "testdata/weka/traces", TypeWeka))
	if got := wekaView(t, d); !reflect.DeepEqual(got, want) {
		t.Fatalf("from the Hub %+v\nfrom disk %+v", got, want)
	}
	wantFlagError(t, "hf-weka-dataset", "holds no .json or .jsonl Weka trace files", "-m", "x", "--hf-weka-dataset", "org/empty")
}

// Without --custom-dataset-type a Weka .json file, or a directory of them, is
// read as weka_trace (AIPerf's can_load probe); a random_pool directory stays one.
func TestWekaInferred(t *testing.T) {
	want := wekaView(t, loadArgs(t, "testdata/weka/traces", TypeWeka))
	if got := wekaView(t, loadArgs(t, "testdata/weka/traces", "")); !reflect.DeepEqual(got, want) {
		t.Fatalf("directory: %+v", got)
	}
	if got := wekaView(t, loadArgs(t, "testdata/weka/traces/trace_b.json", "")); len(got["trace_b"]) != 1 {
		t.Fatalf("file: %+v", got)
	}
	wantFlagError(t, "synthesis-prompt-len-multiplier", "", "-m", "x", "--input-file", "testdata/weka/traces", "--synthesis-prompt-len-multiplier", "2")
	if d := loadArgs(t, "testdata/pool", ""); len(d.Conversations) == 0 {
		t.Fatal("a random_pool directory is no longer read as one")
	}
}

// A Weka repo's trace files have one bound for all of them together: a repo
// of many files is not held whole, however large.
func TestWekaHubTotalBound(t *testing.T) {
	a := testkit.ReadFile(t, "testdata/weka/traces/trace_a.json")
	t.Setenv("HF_HOME", t.TempDir())
	t.Setenv("HF_HUB_OFFLINE", "")
	t.Setenv("HF_ENDPOINT", hubtest.New(t, map[string][]byte{
		"datasets/org/weka/one.json": a,
		"datasets/org/weka/two.json": a,
	}))
	c, err := hub.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	total := 2 * int64(len(a))
	if traces, err := readWekaHub(context.Background(), c, "org/weka", total); err != nil || len(traces) != 2 {
		t.Fatalf("at the bound: %d traces, %v", len(traces), err)
	}
	_, err = readWekaHub(context.Background(), c, "org/weka", total-1)
	var oe *options.Error
	if !errors.As(err, &oe) || oe.Flag != "hf-weka-dataset" || !strings.Contains(err.Error(), "org/weka/two.json: larger than the limit") {
		t.Fatalf("one byte under both files: %v", err)
	}
}
