package inputs

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// traceTurn is what a trace turn is checked for.
type traceTurn struct {
	Words     int
	At        time.Duration
	MaxTokens int
}

// traceView is each conversation's turns, in order, by conversation id.
func traceView(t *testing.T, d *Dataset) (ids []string, turns map[string][]traceTurn) {
	t.Helper()
	turns = map[string][]traceTurn{}
	for _, c := range d.Conversations {
		ids = append(ids, c.ID)
		for _, tr := range c.Turns {
			ps := parts(t, decode(t, tr.Body))
			if len(ps) != 1 || !tr.HasTimestamp {
				t.Fatalf("%s: want one text part and a timestamp: %s", c.ID, tr.Body.Bytes())
			}
			turns[c.ID] = append(turns[c.ID], traceTurn{(tokens.Words{}).Count(ps[0].Text), tr.Timestamp, tr.MaxTokens})
		}
	}
	return ids, turns
}

func TestBailianTrace(t *testing.T) {
	const ms = time.Millisecond
	want := map[string][]traceTurn{
		"159": {{40, 61114 * ms, 132}, {20, 62500 * ms, 80}, {60, 63250 * ms, 7}},
		"300": {{5, 61500 * ms, 9}},
		"402": {{3, 64000 * ms, 1}},
	}
	for _, kind := range []string{TypeBailian, ""} { // explicit and inferred from chat_id
		d := loadArgs(t, "testdata/bailian/trace.jsonl", kind)
		if !d.FixedSchedule {
			t.Fatal("a Bailian trace is a fixed schedule")
		}
		ids, got := traceView(t, d)
		if !reflect.DeepEqual(ids, []string{"159", "300", "402"}) || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: sessions %v\n%v\nwant %v", kind, ids, got, want)
		}
		// hash id 1089 is the same 16-token block in every turn of chat 159,
		// and the only one: 1090 is whole in turn 1, cut to 4 in turn 2.
		first := func(turn int) string {
			w := strings.Fields(parts(t, decode(t, d.Conversations[0].Turns[turn].Body))[0].Text)
			return strings.Join(w[:16], " ")
		}
		if a, b, c := first(0), first(1), first(2); a != b || a != c {
			t.Fatalf("hash id 1089 not a shared block of 16:\n%s\n%s\n%s", a, b, c)
		}
	}
}

func TestBailianTraceErrors(t *testing.T) {
	cases := []struct{ body, want string }{
		{`{"timestamp": 1, "input_length": 5, "output_length": 1}`, "in.jsonl:1: chat_id is required"},
		{`{"chat_id": 1, "input_length": 5, "output_length": 1}`, "in.jsonl:1: timestamp is required"},
		{`{"chat_id": 1, "timestamp": 1, "output_length": 1}`, "in.jsonl:1: input_length is required"},
		{`{"chat_id": 1, "timestamp": 1, "input_length": 5}`, "in.jsonl:1: output_length is required"},
		{`{"chat_id": 1, "timestamp": 1, "input_length": 5, "output_length": 1, "user": "x"}`, `in.jsonl:1: unknown field "user"`},
		// 40 tokens over three ids fit blocks of 16, not the 20 asked for.
		{`{"chat_id": 1, "timestamp": 1, "input_length": 40, "output_length": 1, "hash_ids": [1, 2, 3]}`, "does not fit 3 hash_ids of 20 tokens"},
		// The timestamp is in seconds: its error names seconds and the value given, not the ms it becomes.
		{`{"chat_id": 1, "timestamp": 1e300, "input_length": 5, "output_length": 1}`, "in.jsonl:1: timestamp must be between 0 and 9223372036 s (2^63 ns), got 1e+300"},
		{`{"chat_id": 1, "timestamp": -1, "input_length": 5, "output_length": 1}`, "in.jsonl:1: timestamp must be between 0 and 9223372036 s (2^63 ns), got -1"},
		{`{"chat_id": 1, "timestamp": 1, "input_length": 5, "output_length": 1, "hash_ids": [1e20]}`, `in.jsonl:1: field "hash_ids": number 1e20 is not a whole number within ±2^63`},
		{`{"chat_id": 1, "timestamp": 1, "input_length": 5, "output_length": 1, "hash_ids": [1.5]}`, `in.jsonl:1: field "hash_ids": number 1.5 is not a whole number within ±2^63`},
	}
	for _, c := range cases {
		p := writeLines(t, c.body)
		o := opts(t, "-m", "x", "--input-file", p, "--custom-dataset-type", TypeBailian, "--synthetic-input-tokens-block-size", "20")
		_, err := Build(o, nil, rand.New(rand.NewSource(1)))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line with %q", c.body, err, c.want)
		}
	}
}

// walkRoot is the plain walk bailianRoots must agree with: follow
// parent_chat_id links from id until a line whose parent is -1 or not in the
// file, or until a line comes round again (a cycle).
func walkRoot(id int64, bls []bailianLine, byID map[int64]int) int64 {
	seen := map[int64]bool{}
	for {
		parent := *bls[byID[id]].ParentChatID
		if _, ok := byID[parent]; !ok || parent == -1 || parent == id || seen[id] {
			return id
		}
		seen[id] = true
		id = parent
	}
}

func TestBailianRootsAgreeWithWalk(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for trial := 0; trial < 500; trial++ {
		n := 1 + rng.Intn(12)
		bls := make([]bailianLine, n)
		byID := map[int64]int{}
		for i := range bls {
			id, parent := int64(i), int64(rng.Intn(n+2)-1) // -1, a line (maybe itself), or missing
			bls[i] = bailianLine{ChatID: &id, ParentChatID: &parent}
			byID[id] = i
		}
		got := bailianRoots(bls, byID)
		for id := range byID {
			if want := walkRoot(id, bls, byID); got[id] != want {
				t.Fatalf("trial %d: root of %d is %d, want %d (parents %v)", trial, id, got[id], want, parentsOf(bls))
			}
		}
	}
}

func parentsOf(bls []bailianLine) []int64 {
	var ps []int64
	for _, bl := range bls {
		ps = append(ps, *bl.ParentChatID)
	}
	return ps
}

// TestBailianDeepChain: a chain of many lines, each the child of the one
// before and listed deepest first, is one session of every line in turn order.
func TestBailianDeepChain(t *testing.T) {
	const n = 3000
	lines := make([]string, n)
	for i := range lines {
		id := n - 1 - i
		lines[i] = fmt.Sprintf(`{"chat_id": %d, "parent_chat_id": %d, "timestamp": %d, "input_length": 1, "output_length": 1, "turn": %d}`, id, id-1, id, id+1)
	}
	d := loadArgs(t, writeLines(t, lines...), TypeBailian)
	if len(d.Conversations) != 1 || d.Conversations[0].ID != "0" || len(d.Conversations[0].Turns) != n {
		t.Fatalf("%d conversations, want one of %d turns with id 0", len(d.Conversations), n)
	}
	for i, tr := range d.Conversations[0].Turns {
		if tr.Timestamp != time.Duration(i)*time.Second {
			t.Fatalf("turn %d at %v, want %v", i, tr.Timestamp, time.Duration(i)*time.Second)
		}
	}
}

// BenchmarkBailianRoots is one chain of 100000 lines: linear, where a walk up
// from every line took 5e9 steps.
func BenchmarkBailianRoots(b *testing.B) {
	const n = 100000
	bls := make([]bailianLine, n)
	byID := map[int64]int{}
	for i := range bls {
		id, parent := int64(i), int64(i-1)
		bls[i] = bailianLine{ChatID: &id, ParentChatID: &parent}
		byID[id] = i
	}
	for b.Loop() {
		bailianRoots(bls, byID)
	}
}
