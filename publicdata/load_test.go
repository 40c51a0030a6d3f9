package publicdata

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
	"github.com/aiperf-exporter/aiperf-exporter/hub"
	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
)

func TestFLACDecodesToWAV(t *testing.T) {
	data, err := os.ReadFile("testdata/hello.flac")
	if err != nil {
		t.Fatal(err)
	}
	format, wav, secs, err := decode(data)
	if err != nil {
		t.Fatal(err)
	}
	info, err := audio.Inspect(wav)
	if err != nil || format != "wav" || info.SampleRate != 16000 || info.Channels != 1 || info.Depth != 16 {
		t.Fatalf("decoded %s %+v %v", format, info, err)
	}
	if secs < 1.1 || secs > 1.3 || abs(info.Seconds-secs) > 1e-9 { // s01.mp3 lasts 1.188 s
		t.Errorf("duration %g s (WAV says %g), want about 1.19", secs, info.Seconds)
	}
	if _, _, _, err := decode([]byte("not audio at all")); err == nil {
		t.Error("garbage decoded without error")
	}
}

func abs(x float64) float64 { return max(x, -x) }

// TestLoadFromFakeHub serves librispeech's parquet conversion from a fake Hub:
// two files, a FLAC row, a WAV row, a clip over 30 s (skipped) and a row
// without bytes (skipped), and checks the clips, their order and the limit.
func TestLoadFromFakeHub(t *testing.T) {
	flacData, err := os.ReadFile("testdata/hello.flac")
	if err != nil {
		t.Fatal(err)
	}
	base := "datasets/openslr/librispeech_asr/clean/test/"
	endpoint := hubtest.New(t, map[string][]byte{
		base + "0000.parquet": Parquet(t, row(flacData, "HELLO THERE"), row(silence(t, 31), "too long"), row(nil, "no bytes")),
		base + "0001.parquet": Parquet(t, row(silence(t, 2), "TWO SECONDS OF SILENCE")),
		"datasets/openslr/librispeech_asr/other/test/0000.parquet": Parquet(t, row(silence(t, 1), "other config")),
	})
	c := &hub.Client{Endpoint: endpoint, CacheDir: t.TempDir()}
	clips, err := Load(context.Background(), c, "librispeech", 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range clips {
		got = append(got, c.Transcript)
		if c.Format != "wav" || c.Seconds <= 0 || c.Seconds > MaxSeconds {
			t.Errorf("clip %q: %s %g s", c.Transcript, c.Format, c.Seconds)
		}
	}
	if strings.Join(got, "|") != "HELLO THERE|TWO SECONDS OF SILENCE" {
		t.Errorf("transcripts %q", got)
	}
	if clips, err := Load(context.Background(), c, "librispeech", 1); err != nil || len(clips) != 1 {
		t.Errorf("max 1: %d clips, %v", len(clips), err)
	}
	// The files are in the Hub cache: offline works.
	c.Offline = true
	if clips, err := Load(context.Background(), c, "librispeech", 0); err != nil || len(clips) != 2 {
		t.Errorf("offline: %d clips, %v", len(clips), err)
	}
	if _, err := os.Stat(filepath.Join(c.CacheDir, "datasets--openslr--librispeech_asr", "refs", "refs", "convert", "parquet")); err != nil {
		t.Errorf("no ref for refs/convert/parquet in the cache: %v", err)
	}
	// --hf-subset reads another config's folder of the same split.
	c.Offline = false
	clips, err = LoadSubset(context.Background(), c, "librispeech", "other", 0)
	if err != nil || len(clips) != 1 || clips[0].Transcript != "other config" {
		t.Errorf("subset other: %d clips, %v", len(clips), err)
	}
	if _, err := LoadSubset(context.Background(), c, "librispeech", "nosuch", 0); err == nil || !strings.Contains(err.Error(), "public dataset librispeech") {
		t.Errorf("a subset the Hub does not have: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	endpoint := hubtest.New(t, map[string][]byte{
		"datasets/openslr/librispeech_asr/clean/test/0000.parquet": []byte("not parquet"),
		"datasets/facebook/voxpopuli/en/test/0000.parquet":         Parquet(t, row([]byte("garbage"), "x")),
		"datasets/edinburghcstr/ami/ihm/test/0000.parquet":         hubtest.Damaged(t, Parquet(t, row(silence(t, 1), "x"))),
	})
	c := &hub.Client{Endpoint: endpoint, CacheDir: t.TempDir()}
	for name, want := range map[string]string{
		"librispeech": "0000.parquet: not a Parquet file",
		"ami":         "public dataset ami: ihm/test/0000.parquet: damaged Parquet file (",
		"voxpopuli":   "no column normalized_text",
		"gigaspeech":  "HF_TOKEN",
		"nope":        "want one of aimo, aimo_aime, aimo_numina_1_5, aimo_numina_cot, ami, ",
	} {
		_, err := Load(context.Background(), c, name, 0)
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err = %v, want one line saying %q", name, err, want)
		}
	}
}

func TestCleanTranscript(t *testing.T) {
	for in, want := range map[string]string{
		"AS THEY SAID <COMMA> WELL <PERIOD>": "AS THEY SAID WELL",
		"<SIL>":                              "",
		"keep <b>lower</b> and a<B>":         "keep <b>lower</b> and a<B>",
		"  plain   text ":                    "plain text",
	} {
		if got := cleanTranscript(in); got != want {
			t.Errorf("cleanTranscript(%q) = %q, want %q", in, got, want)
		}
	}
}

// A FLAC stream whose header lies (a sample count of 2^36, more channels than
// its frames carry) is refused, or skipped as too long, never a panic or an
// allocation the header asked for (before the fix: out of memory, a fatal
// error no recover catches).
func TestFLACHostileHeaders(t *testing.T) {
	good, err := os.ReadFile("testdata/hello.flac")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(b []byte)
	}{
		// STREAMINFO starts at byte 8; the 36-bit sample count ends it at byte 25.
		{"sample count 2^36-1", func(b []byte) { b[21] |= 0x0f; b[22], b[23], b[24], b[25] = 0xff, 0xff, 0xff, 0xff }},
		{"two channels in the header, one in the frames", func(b []byte) { b[20] |= 0x02 }},
		{"eight channels in the header", func(b []byte) { b[20] |= 0x0e }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := bytes.Clone(good)
			tc.edit(b)
			_, wav, secs, err := decode(b)
			switch {
			case err != nil: // refused: fine
			case secs > MaxSeconds && wav != nil:
				t.Errorf("a clip of %g s was decoded (%d bytes) instead of skipped", secs, len(wav))
			case len(wav) > 8<<20:
				t.Errorf("decoded %d bytes from a 25 kB file: the header's claim was believed", len(wav))
			}
		})
	}
}
