package inputs

import (
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// A trace whose timestamps span more than 100 years is refused, naming the
// file and the line, whatever loader read it: the replay would otherwise wait
// forever.
func TestTraceSpanBeyondACenturyIsRefused(t *testing.T) {
	capture := func(at string) string {
		return `{"captureData": {"endpointInput": {"data": "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":5}", "encoding": "JSON"}}, "eventMetadata": {"eventId": "e", "inferenceTime": "` + at + `"}, "eventVersion": "0"}` + "\n"
	}
	bailian := func(id int, ts string) string {
		return `{"chat_id": ` + string(rune('0'+id)) + `, "parent_chat_id": -1, "timestamp": ` + ts + `, "input_length": 10, "output_length": 5, "type": "text", "turn": 1, "hash_ids": [1]}` + "\n"
	}
	weka := `{"id": "w", "block_size": 4, "hash_id_scope": "local", "requests": [{"t": 0, "type": "s", "in": 10, "out": 5, "hash_ids": [1]}, {"t": 4e9, "type": "s", "in": 10, "out": 5, "hash_ids": [1]}]}`
	cases := []struct {
		kind, name, data, want string // want: the error's opening, after the directory
	}{
		{"sagemaker_data_capture", "capture.jsonl", capture("0001-01-01T00:00:00Z") + capture("9999-12-31T23:59:59Z"), "capture.jsonl:2: timestamp"},
		{"mooncake_trace", "trace.jsonl", "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 5}\n{\"timestamp\": 4e12, \"input_length\": 10, \"output_length\": 5}\n", "trace.jsonl:2: timestamp"},
		{"bailian_trace", "trace.jsonl", bailian(1, "0") + bailian(2, "4e9"), "trace.jsonl:2: timestamp"},
		{"burst_gpt_trace", "trace.csv", "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n4000000000,ChatGPT,10,5,15,Conversation log\n0,ChatGPT,10,5,15,Conversation log\n", "trace.csv:3: timestamp"},
		{"single_turn", "single.jsonl", "{\"text\": \"a\", \"timestamp\": 0}\n{\"text\": \"b\", \"timestamp\": 4e12}\n", "single.jsonl:2: timestamp"},
		{"multi_turn", "multi.jsonl", "{\"turns\": [{\"text\": \"a\", \"timestamp\": 0}, {\"text\": \"b\", \"timestamp\": 4e12}]}\n", "multi.jsonl:1: timestamp"},
		{"weka_trace", "trace.json", weka, "weka trace w (its request at t=4e+09 s): timestamp"},
		// a long trace id is cut where the error repeats it
		{"weka_trace", "trace.json", strings.Replace(weka, `"w"`, `"`+strings.Repeat("w", 5000)+`"`, 1), "weka trace " + strings.Repeat("w", 100) + "… (5000 bytes) (its request at t=4e+09 s): timestamp"},
	}
	for _, c := range cases {
		t.Run(c.kind, func(t *testing.T) {
			path := testkit.WriteFile(t, t.TempDir(), c.name, c.data)
			want := c.want
			if c.kind != "weka_trace" {
				want = path[:len(path)-len(c.name)] + c.want
			}
			wantBuildError(t, want, "-m", "x", "--input-file", path, "--custom-dataset-type", c.kind)
		})
	}
	// Within the bound (95 years), the same shape loads.
	path := testkit.WriteFile(t, t.TempDir(), "trace.jsonl", "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 5}\n{\"timestamp\": 3e12, \"input_length\": 10, \"output_length\": 5}\n")
	if err := buildErr(t, "-m", "x", "--input-file", path, "--custom-dataset-type", "mooncake_trace"); err != nil {
		t.Fatalf("95 years refused: %v", err)
	}
}
