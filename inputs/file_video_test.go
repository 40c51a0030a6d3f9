package inputs

import (
	"encoding/base64"
	"encoding/json"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An input file's video/videos entries become video_url parts after the text,
// as AIPerf's single_turn lines carry them: a local WebM or MP4 file as a data
// URL (read once, shared), links and data URLs as given.
func TestFileVideos(t *testing.T) {
	dir := t.TempDir()
	webm := []byte{0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01}
	if err := os.WriteFile(filepath.Join(dir, "clip.webm"), webm, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("plain text"), 0o600); err != nil {
		t.Fatal(err)
	}
	lines := `{"text": "what happens?", "video": "clip.webm"}
{"texts": ["and here?"], "videos": ["clip.webm", "https://example.invalid/v.mp4", "data:video/mp4;base64,AAAA"]}
`
	file := filepath.Join(dir, "videos.jsonl")
	if err := os.WriteFile(file, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	d := loadArgs(t, file, "single_turn")
	var urls [][]string
	for _, c := range d.Conversations {
		var ps []struct {
			Type     string `json:"type"`
			VideoURL struct {
				URL string `json:"url"`
			} `json:"video_url"`
		}
		if err := json.Unmarshal(decode(t, c.Turns[0].Body).Messages[0].Content, &ps); err != nil {
			t.Fatal(err)
		}
		if ps[0].Type != "text" {
			t.Fatalf("first part %q", ps[0].Type)
		}
		var u []string
		for _, p := range ps[1:] {
			if p.Type != "video_url" {
				t.Fatalf("part %q, want video_url", p.Type)
			}
			u = append(u, p.VideoURL.URL)
		}
		urls = append(urls, u)
	}
	local := "data:video/webm;base64," + base64.StdEncoding.EncodeToString(webm)
	if len(urls) != 2 || len(urls[0]) != 1 || urls[0][0] != local ||
		strings.Join(urls[1], " ") != local+" https://example.invalid/v.mp4 data:video/mp4;base64,AAAA" {
		t.Fatalf("video URLs %q", urls)
	}
	body0 := d.Conversations[0].Turns[0].Body
	shared := false
	for _, seg := range d.Conversations[1].Turns[0].Body {
		shared = shared || strings.Contains(string(seg), "GkXfo") && sharesSegment(body0, seg)
	}
	if !shared {
		t.Fatal("two lines naming the same video file do not share its base64")
	}

	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte(`{"text": "x", "video": "notes.txt"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o := opts(t, "-m", "x", "--input-file", bad)
	if _, err := Build(o, nil, rand.New(rand.NewSource(1))); err == nil || !strings.Contains(err.Error(), "bad.jsonl:1: video notes.txt: unsupported video") {
		t.Fatalf("error %v", err)
	}
}
