package inputs

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// rawView is each conversation's bodies, and the files' lines compacted.
func rawView(d *Dataset) [][]string {
	return turnsOf(d, func(tr Turn) string { return string(tr.Body.Bytes()) })
}

func compactLines(t *testing.T, paths ...string) [][]string {
	t.Helper()
	var out [][]string
	for _, p := range paths {
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(string(testkit.ReadFile(t, p))), "\n") {
			var b bytes.Buffer
			if err := json.Compact(&b, []byte(l)); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, b.String())
		}
		out = append(out, lines)
	}
	return out
}

func TestRawPayload(t *testing.T) {
	file := compactLines(t, "testdata/raw_payload/requests.jsonl")[0]
	dir := compactLines(t, "testdata/raw_payload/conversations/a.jsonl", "testdata/raw_payload/conversations/b.jsonl")
	for _, kind := range []string{TypeRawPayload, ""} { // explicit and inferred from "messages"
		d := loadArgs(t, "testdata/raw_payload/requests.jsonl", kind)
		if got := rawView(d); !reflect.DeepEqual(got, [][]string{file[:1], file[1:]}) {
			t.Fatalf("%q file: %v", kind, got)
		}
		if tr := d.Conversations[0].Turns[0]; tr.MaxTokens != 5 || tr.Model != "m" || tr.InputTokens != 2 {
			t.Fatalf("first line: max %d, model %q, ISL %d", tr.MaxTokens, tr.Model, tr.InputTokens)
		}
		if tr := d.Conversations[1].Turns[0]; tr.Model != "x" || tr.InputTokens != 7 {
			t.Fatalf("a line without model goes to --model: %q, ISL %d (system and user text)", tr.Model, tr.InputTokens)
		}
		d = loadArgs(t, "testdata/raw_payload/conversations", kind)
		if got := rawView(d); !reflect.DeepEqual(got, dir) || d.FixedSchedule {
			t.Fatalf("%q directory: %v", kind, got)
		}
	}
}

func TestRawPayloadMixed(t *testing.T) {
	p := writeLines(t, `{"messages": []}`, `{"text": "hi"}`)
	o := opts(t, "-m", "x", "--input-file", p, "--custom-dataset-type", TypeRawPayload)
	if _, err := Build(o, nil, rand.New(rand.NewSource(1))); err == nil || !strings.Contains(err.Error(), "in.jsonl:2: mixed types: this line is single_turn, the file is raw_payload") {
		t.Fatalf("error %v", err)
	}
}
