package report

import (
	"path/filepath"
	"testing"
)

func TestArtifactDir(t *testing.T) {
	qwen := []string{"Qwen/Qwen2.5-Omni-3B"}
	tests := []struct {
		spec ArtifactSpec
		want string
	}{
		{ArtifactSpec{Models: qwen, EndpointType: "chat", Concurrency: 4}, "artifacts/Qwen_Qwen2.5-Omni-3B-openai-chat-concurrency4"},
		{ArtifactSpec{Models: qwen, EndpointType: "chat", RequestRate: 10}, "artifacts/Qwen_Qwen2.5-Omni-3B-openai-chat-request_rate10.0"},
		{ArtifactSpec{Models: qwen, EndpointType: "chat", RequestRate: 2.5, Concurrency: 4}, "artifacts/Qwen_Qwen2.5-Omni-3B-openai-chat-concurrency4-request_rate2.5"},
		{ArtifactSpec{Models: qwen, EndpointType: "chat"}, "artifacts/Qwen_Qwen2.5-Omni-3B-openai-chat-concurrency1"},
		{ArtifactSpec{Models: []string{"a/b", "c"}, EndpointType: "chat", Concurrency: 2}, "artifacts/a_b_multi-openai-chat-concurrency2"},
		{ArtifactSpec{Models: qwen, EndpointType: "chat", Concurrency: 4, FixedSchedule: true}, "artifacts/Qwen_Qwen2.5-Omni-3B-openai-chat-fixed_schedule"},
		{ArtifactSpec{Base: "out", Models: qwen, EndpointType: "completions", Concurrency: 1}, "out/Qwen_Qwen2.5-Omni-3B-openai-completions-concurrency1"},
		{ArtifactSpec{Base: "my/dir", Explicit: true, Models: qwen, EndpointType: "chat"}, "my/dir"},
	}
	for _, tc := range tests {
		if got := ArtifactDir(tc.spec); got != filepath.FromSlash(tc.want) {
			t.Errorf("%+v:\n got %s\nwant %s", tc.spec, got, tc.want)
		}
	}
}
