package report

import (
	"errors"
	"io/fs"
	"os"
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

// A rerun removes the previous run's files, and only those: a user's own file
// and unknown files in the directory stay.
func TestRemovePreviousRun(t *testing.T) {
	dir := t.TempDir()
	old := []string{CSVFile, JSONFile, JSONLFile, InputsFile, filepath.Join(LogDir, LogFile), filepath.Join("plots", "a.png"),
		TimeslicesCSVFile, TimeslicesJSONFile}
	keep := []string{"notes.txt", filepath.Join(LogDir, "other.log"), filepath.Join("plots", "mine.png")}
	for _, name := range append(append([]string{}, old...), keep...) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("old run"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := RemovePreviousRun(dir, filepath.Join("plots", "a.png"), filepath.Join("plots", "absent.png"))
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != len(old) {
		t.Errorf("removed %v, want %v", removed, old)
	}
	for _, name := range old {
		if _, err := os.Stat(filepath.Join(dir, name)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s left behind (%v)", name, err)
		}
	}
	for _, name := range keep {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s removed: %v", name, err)
		}
	}
	if _, err := RemovePreviousRun(filepath.Join(dir, "missing")); err != nil {
		t.Errorf("a new directory: %v", err)
	}
}
