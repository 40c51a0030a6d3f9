package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// An output length beyond the embedded mock's longest answer, however the run
// asks for it, is answered with the 400 a real server gives (the run fails,
// its error says why) instead of running the mock out of memory.
func TestHugeOutputLengthAgainstMock(t *testing.T) {
	dir := t.TempDir()
	burst := testkit.WriteFile(t, dir, "burst.csv", "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type\n"+
		"5,ChatGPT,4,99999999999999,100000000000003,Conversation log\n")
	testkit.WriteFiles(t, dir, map[string]string{"sagemaker/2026/04/29/00/capture.jsonl": `{"captureData": {"endpointInput": {"data": "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"max_tokens\":2147483648}", "encoding": "JSON"}}, ` +
		`"eventMetadata": {"eventId": "abc-123", "inferenceTime": "2026-04-29T00:03:18Z"}, "eventVersion": "0"}` + "\n"})
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"output-tokens-mean", []string{"--output-tokens-mean", "2147483648"}, "max_completion_tokens is too large: 2147483648"},
		{"burstgpt", []string{"--input-file", burst, "--synthesis-speedup-ratio", "100"}, "max_completion_tokens is too large: 99999999999999"},
		{"sagemaker", []string{"--input-file", filepath.Join(dir, "sagemaker")}, "max_completion_tokens is too large: 2147483648"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--mock", "--model", "m", "--request-count", "1", "--no-server-metrics", "--no-gpu-telemetry"}, tc.args...)
			code, _, errOut, _ := profileInDir(t, args...)
			if code != 1 || !strings.Contains(errOut, "all 1 requests failed (400 Bad Request") || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want 1 and a 400 saying %q", code, errOut, tc.want)
			}
		})
	}
}
