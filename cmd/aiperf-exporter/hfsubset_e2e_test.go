package main

import (
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
	"github.com/aiperf-exporter/aiperf-exporter/speech"
)

// --hf-subset other reads librispeech's other/test folder from the (fake) Hub,
// not clean/test: the run sends that folder's clips.
func TestProfileHFSubsetFromFakeHub(t *testing.T) {
	clips := speech.Clips()
	hubtest.Use(t, map[string][]byte{
		"datasets/openslr/librispeech_asr/clean/test/0000.parquet": hubtest.Parquet(t, hubtest.NewRow(clips[0].MP3, "CLEAN")),
		"datasets/openslr/librispeech_asr/other/test/0000.parquet": hubtest.Parquet(t, hubtest.NewRow(clips[1].MP3, "OTHER"), hubtest.NewRow(clips[2].MP3, "OTHER")),
	})
	for _, tc := range []struct {
		subset []string
		n      int // clips in the folder read
	}{{nil, 1}, {[]string{"--hf-subset", "other"}, 2}} {
		args := append([]string{"--mock", "--model", "m", "--public-dataset", "librispeech", "--request-count", "4"}, tc.subset...)
		_, dir := profileOK(t, args...)
		if n := len(inputsPayloads(t, dir)); n != tc.n {
			t.Errorf("%v: inputs.json has %d conversations, want the folder's %d clips", tc.subset, n, tc.n)
		}
	}
	code, _, stderr, _ := profileInDir(t, "--mock", "--model", "m", "--public-dataset", "librispeech", "--hf-subset", "nosuch")
	if code == 0 || !strings.Contains(stderr, "public dataset librispeech") {
		t.Errorf("a subset the Hub lacks: exit %d\n%s", code, stderr)
	}
}
