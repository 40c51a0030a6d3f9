package inputs

import (
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// A trace whose timestamps span more than 100 years is refused, naming the
// file, whatever loader read it: the replay would otherwise wait forever.
func TestTraceSpanBeyondACenturyIsRefused(t *testing.T) {
	capture := func(at string) string {
		return `{"captureData": {"endpointInput": {"data": "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":5}", "encoding": "JSON"}}, "eventMetadata": {"eventId": "e", "inferenceTime": "` + at + `"}, "eventVersion": "0"}` + "\n"
	}
	cases := []struct {
		kind, name, data string
	}{
		{"sagemaker_data_capture", "capture.jsonl", capture("0001-01-01T00:00:00Z") + capture("9999-12-31T23:59:59Z")},
		{"mooncake_trace", "trace.jsonl", "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 5}\n{\"timestamp\": 4e12, \"input_length\": 10, \"output_length\": 5}\n"},
		{"single_turn", "single.jsonl", "{\"text\": \"a\", \"timestamp\": 0}\n{\"text\": \"b\", \"timestamp\": 4e12}\n"},
		{"burst_gpt_trace", "trace.csv", "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n0,ChatGPT,10,5,15,Conversation log\n4000000000,ChatGPT,10,5,15,Conversation log\n"},
	}
	for _, c := range cases {
		t.Run(c.kind, func(t *testing.T) {
			path := testkit.WriteFile(t, t.TempDir(), c.name, c.data)
			wantBuildError(t, "--input-file "+path+": its timestamps span more than 100 years", "-m", "x", "--input-file", path, "--custom-dataset-type", c.kind)
		})
	}
	// Within the bound, the same shape loads.
	path := testkit.WriteFile(t, t.TempDir(), "trace.jsonl", "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 5}\n{\"timestamp\": 3e12, \"input_length\": 10, \"output_length\": 5}\n")
	if err := buildErr(t, "-m", "x", "--input-file", path, "--custom-dataset-type", "mooncake_trace"); err != nil {
		t.Fatalf("95 years refused: %v", err)
	}
}
