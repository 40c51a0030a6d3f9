package inputs

import (
	"bytes"
	"encoding/base64"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

func loadArgs(t *testing.T, file, kind string, extra ...string) *Dataset {
	t.Helper()
	args := append([]string{"-m", "x", "--input-file", file, "--custom-dataset-type", kind}, extra...)
	return build(t, 1, args...)
}

func TestSingleTurnFile(t *testing.T) {
	wav := testkit.ReadFile(t, "testdata/clips/a.wav")
	for _, kind := range []string{"single_turn", ""} { // explicit and inferred
		d := loadArgs(t, "testdata/single_turn.jsonl", kind)
		if len(d.Conversations) != 4 || d.FixedSchedule {
			t.Fatalf("%d conversations, fixed %v", len(d.Conversations), d.FixedSchedule)
		}
		// The spec's example line: one text part then the file's exact bytes.
		tr := d.Conversations[0].Turns[0]
		ps := parts(t, decode(t, tr.Body))
		if len(ps) != 2 || ps[0].Type != "text" || ps[0].Text != "Transcribe this." || ps[1].Type != "input_audio" || ps[1].InputAudio.Format != "wav" {
			t.Fatalf("spec example body: %s", tr.Body.Bytes())
		}
		if got, _ := base64.StdEncoding.DecodeString(ps[1].InputAudio.Data); !bytes.Equal(got, wav) {
			t.Fatal("audio part is not the file's bytes")
		}
		if tr.InputTokens != 2 || tr.AudioBytes != len(wav) || tr.AudioSeconds < 0.0499 || tr.AudioSeconds > 0.0501 {
			t.Fatalf("turn %+v", tr)
		}
		// The same file on two lines is read once and shared.
		var clip []byte
		for _, s := range tr.Body {
			if len(s) > 1000 {
				clip = s
			}
		}
		if clip == nil || !sharesSegment(d.Conversations[2].Turns[0].Body, clip) {
			t.Fatal("lines naming the same audio file do not share its base64")
		}
		img := decode(t, d.Conversations[1].Turns[0].Body)
		ps = parts(t, img)
		if len(ps) != 2 || ps[1].Type != "image_url" || !strings.HasPrefix(ps[1].ImageURL.URL, "data:image/png;base64,iVBOR") ||
			img.MaxCompletionTokens == nil || *img.MaxCompletionTokens != 20 {
			t.Fatalf("image line: %s", d.Conversations[1].Turns[0].Body.Bytes())
		}
		if got := string(d.Conversations[2].Turns[0].Body.Bytes()); !strings.HasSuffix(got, `"model":"x","stream":false,"temperature":0,"min_tokens":4}`) {
			t.Fatalf("per-line extra not merged: %s", got[len(got)-80:])
		}
		last := d.Conversations[3].Turns[0]
		if ps := parts(t, decode(t, last.Body)); len(ps) != 2 || ps[1].Text != "second part" || last.Delay != 250*time.Millisecond || last.InputTokens != 4 {
			t.Fatalf("named contents: %+v", last)
		}
	}
}

func TestMultiTurnFile(t *testing.T) {
	d := loadArgs(t, "testdata/multi_turn.jsonl", "", "--osl", "3")
	if len(d.Conversations) != 2 || d.Conversations[0].ID != "s1" || len(d.Conversations[0].Turns) != 3 || d.Conversations[1].ID == "" {
		t.Fatalf("conversations %+v", d.Conversations)
	}
	turns := d.Conversations[0].Turns
	for i, tr := range turns {
		body := decode(t, tr.Body)
		if len(body.Messages) != i+1 {
			t.Fatalf("turn %d resends %d messages, want %d", i+1, len(body.Messages), i+1)
		}
	}
	if turns[1].Delay != 1500*time.Millisecond || turns[1].AudioBytes != 0 || turns[0].AudioBytes == 0 {
		t.Fatalf("turn 2: %+v", turns[1])
	}
	if turns[0].MaxTokens != 3 || turns[2].MaxTokens != 8 {
		t.Fatalf("output lengths %d, %d", turns[0].MaxTokens, turns[2].MaxTokens)
	}
	// History reuses the clip of turn 1 by reference in turns 2 and 3.
	var clip []byte
	for _, s := range turns[0].Body {
		if len(s) > 1000 {
			clip = s
		}
	}
	if !sharesSegment(turns[1].Body, clip) || !sharesSegment(turns[2].Body, clip) {
		t.Fatal("history does not share the clip")
	}
	if len(turns[2].Body) != 5 { // prefix, clip (history), middle, clip, suffix
		t.Fatalf("turn 3 has %d segments", len(turns[2].Body))
	}
}

func TestMooncakeFile(t *testing.T) {
	d := loadArgs(t, "testdata/mooncake_trace.jsonl", "")
	if !d.FixedSchedule || len(d.Conversations) != 4 || len(d.Conversations[3].Turns) != 2 || d.Conversations[3].ID != "chat-1" {
		t.Fatalf("fixed %v, %d conversations", d.FixedSchedule, len(d.Conversations))
	}
	c := d.Conversations
	want := []int{600, 300, 3, 7}
	for i, w := range want {
		if c[i].Turns[0].InputTokens != w {
			t.Fatalf("line %d: ISL %d, want %d", i+1, c[i].Turns[0].InputTokens, w)
		}
	}
	if c[1].Turns[0].Timestamp != 120500*time.Microsecond || !c[1].Turns[0].HasTimestamp || c[1].Turns[0].MaxTokens != 5 {
		t.Fatalf("line 2 turn %+v", c[1].Turns[0])
	}
	t1 := parts(t, decode(t, c[0].Turns[0].Body))[0].Text
	if n := (tokens.Words{}).Count(t1); n != 600 {
		t.Fatalf("line 1 has %d words", n)
	}
}

func TestMooncakeHashBlocksAreShared(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "trace.jsonl")
	os.WriteFile(p, []byte(`{"input_length": 1024, "hash_ids": [7, 8]}`+"\n"+`{"input_length": 700, "hash_ids": [7, 9]}`+"\n"), 0o644)
	d := loadArgs(t, p, "mooncake_trace")
	a := strings.Fields(parts(t, decode(t, d.Conversations[0].Turns[0].Body))[0].Text)
	b := strings.Fields(parts(t, decode(t, d.Conversations[1].Turns[0].Body))[0].Text)
	if len(a) != 1024 || len(b) != 700 || strings.Join(a[:512], " ") != strings.Join(b[:512], " ") {
		t.Fatalf("hash id 7 not the same block: %d/%d words", len(a), len(b))
	}
}

func TestRandomPool(t *testing.T) {
	d := loadArgs(t, "testdata/pool", "", "--num-dataset-entries", "30")
	if len(d.Conversations) != 30 {
		t.Fatalf("%d conversations", len(d.Conversations))
	}
	seen := map[string]bool{}
	for _, c := range d.Conversations {
		ps := parts(t, decode(t, c.Turns[0].Body))
		if len(ps) != 2 || ps[0].Type != "text" || ps[1].Type != "input_audio" {
			t.Fatalf("pool turn should merge one entry of each file: %s", c.Turns[0].Body.Bytes())
		}
		seen[ps[0].Text] = true
		if ps[0].Text == "Question two?" && c.Turns[0].MaxTokens != 6 {
			t.Fatalf("output_length of the pool entry lost")
		}
	}
	if len(seen) != 2 {
		t.Fatalf("sampling drew %v", seen)
	}
	d = loadArgs(t, "testdata/pool/a_queries.jsonl", "random_pool", "--num-dataset-entries", "5")
	if len(d.Conversations) != 5 {
		t.Fatalf("single pool file: %d conversations", len(d.Conversations))
	}
}

func TestInlineAudioEntries(t *testing.T) {
	clip, err := audio.Synthesize(audio.Params{Seconds: 0.1, SampleRate: 16000, Depth: 16, Channels: 1, Format: "mp3"}, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	b64 := string(clip.Base64)
	dir := t.TempDir()
	p := filepath.Join(dir, "in.jsonl")
	lines := `{"audio": "data:audio/mpeg;base64,` + b64 + `"}` + "\n" + `{"audios": ["mp3,` + b64 + `"]}` + "\n"
	if err := os.WriteFile(p, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	d := loadArgs(t, p, "single_turn")
	for i, c := range d.Conversations {
		ps := parts(t, decode(t, c.Turns[0].Body))
		if len(ps) != 1 || ps[0].InputAudio.Format != "mp3" || ps[0].InputAudio.Data != b64 || c.Turns[0].AudioBytes != len(clip.Data) {
			t.Fatalf("line %d: %d parts, format %q", i+1, len(ps), ps[0].InputAudio.Format)
		}
	}
}

func TestFileErrorsNameFileAndLine(t *testing.T) {
	cases := []struct {
		file, kind, want string
	}{
		{"bad_json.jsonl", "", "bad_json.jsonl:2: bad JSON"},
		{"unknown_field.jsonl", "single_turn", `unknown_field.jsonl:2: unknown field "colour"`},
		{"missing_audio.jsonl", "", "missing_audio.jsonl:1: audio ../clips/missing.wav: no such file"},
		{"unsupported_audio.jsonl", "", "unsupported_audio.jsonl:1: audio ../clips/not_audio.txt: unsupported audio"},
		// A device never ends: refused before it is read.
		{"device_audio.jsonl", "", "device_audio.jsonl:1: audio /dev/zero: not a regular file"},
		{"empty.jsonl", "", "empty.jsonl: empty file"},
		{"mixed_types.jsonl", "", "mixed_types.jsonl:2: mixed types: this line is multi_turn, the file is single_turn"},
		{"mixed_types.jsonl", "random_pool", "mixed_types.jsonl:2: mixed types"},
		{"text_and_texts.jsonl", "", "text_and_texts.jsonl:1: text and texts cannot both be set"},
		{"no_modality.jsonl", "", "no_modality.jsonl:1: no text, image, audio or video"},
		{"partial_timestamps.jsonl", "", "partial_timestamps.jsonl:2: no timestamp"},
		{"wrong_type.jsonl", "", `wrong_type.jsonl:1: field "text": number is not a string`},
		{"not_object.jsonl", "", "not_object.jsonl:1: a line must be a JSON object"},
		{"mooncake_zero.jsonl", "", "mooncake_zero.jsonl:1: input_length must be between 1 and"},
		{"output_length_zero.jsonl", "", "output_length_zero.jsonl:1: output_length must be >= 1"},
		{"multi_no_turns.jsonl", "", "multi_no_turns.jsonl:1: turns is empty"},
		{"missing.jsonl", "", "--input-file: stat testdata/bad/missing.jsonl"},
		{"empty.jsonl", "chat", "--custom-dataset-type (AIPERF_CUSTOM_DATASET_TYPE)"},
	}
	for _, c := range cases {
		o := opts(t, "-m", "x", "--input-file", "testdata/bad/"+c.file, "--custom-dataset-type", c.kind)
		_, err := Build(o, nil, rand.New(rand.NewSource(1)))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s (%q): error %v\nwant one line containing %q", c.file, c.kind, err, c.want)
		}
	}
}

// A media file above the per-file bound is refused from its size, unread (the
// file here is sparse: no disk space used).
func TestMediaFileBound(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "huge.wav"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxMediaFileBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	file := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(file, []byte(`{"text": "t", "audio": "huge.wav"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wantBuildError(t, "in.jsonl:1: audio huge.wav: larger than the limit of 256 MiB", "-m", "x", "--input-file", file)
}

// An input file that is a device (it never ends) is refused, not read forever.
func TestInputFileIsADevice(t *testing.T) {
	err := buildErr(t, "-m", "x", "--input-file", "/dev/zero")
	if err == nil || err.Error() != "--input-file: /dev/zero: not a regular file (a device)" {
		t.Errorf("error %v", err)
	}
}

// Synthetic audio whose clips together would not fit the bound is refused
// before any clip is made, naming the flags that set it.
func TestSyntheticAudioBound(t *testing.T) {
	o := opts(t, "-m", "x", "--audio-length-mean", "30", "--audio-batch-size", "8", "--num-dataset-entries", "10000")
	_, err := Build(o, nil, rand.New(rand.NewSource(1)))
	if err == nil || !strings.Contains(err.Error(), "--audio-batch-size") || !strings.Contains(err.Error(), "limit of 4 GiB") {
		t.Fatalf("error %v", err)
	}
	o = opts(t, "-m", "x", "--audio-length-mean", "30", "--audio-batch-size", "2", "--num-dataset-entries", "3")
	if _, err := Build(o, nil, rand.New(rand.NewSource(1))); err != nil {
		t.Errorf("a dataset within the bound: %v", err)
	}
}
