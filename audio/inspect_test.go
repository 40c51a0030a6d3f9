package audio

import (
	"encoding/binary"
	"errors"
	"math"
	"math/rand"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

func synth(t testing.TB, p Params) []byte {
	t.Helper()
	c, err := Synthesize(p, rand.New(rand.NewSource(3)))
	if err != nil {
		t.Fatal(err)
	}
	return c.Data
}

func TestInspectGenerated(t *testing.T) {
	tests := []Params{
		{Seconds: 0.5, SampleRate: 16000, Depth: 16, Channels: 1, Format: FormatWAV},
		{Seconds: 0.25, SampleRate: 44100, Depth: 24, Channels: 2, Format: FormatWAV},
		{Seconds: 0.123, SampleRate: 11025, Depth: 8, Channels: 1, Format: FormatWAV},
		{Seconds: 1, SampleRate: 48000, Depth: 32, Channels: 2, Format: FormatWAV},
		{Seconds: 1, SampleRate: 16000, Depth: 16, Channels: 1, Format: FormatMP3},
		{Seconds: 2, SampleRate: 44100, Depth: 16, Channels: 2, Format: FormatMP3},
	}
	for _, p := range tests {
		info, err := Inspect(synth(t, p))
		if err != nil {
			t.Fatalf("Inspect(%+v): %v", p, err)
		}
		wantDepth, tol := p.Depth, 1e-9
		if p.Format == FormatMP3 {
			wantDepth, tol = 0, 1152.0/float64(p.SampleRate)
		}
		if info.Format != p.Format || info.SampleRate != p.SampleRate || info.Channels != p.Channels ||
			info.Depth != wantDepth || math.Abs(info.Seconds-p.Seconds) > tol+1.0/float64(p.SampleRate) {
			t.Errorf("Inspect(%+v) = %+v", p, info)
		}
	}
}

// TestInspectSoxFiles reads files written by sox, not by us.
func TestInspectSoxFiles(t *testing.T) {
	needTool(t, "sox")
	tests := []struct {
		args                  []string
		rate, channels, depth int
		seconds               float64
	}{
		{[]string{"-r", "16000", "-b", "16", "-c", "1"}, 16000, 1, 16, 0.5},
		{[]string{"-r", "22050", "-b", "24", "-c", "2"}, 22050, 2, 24, 1},
		{[]string{"-r", "8000", "-b", "8", "-c", "1", "-e", "unsigned"}, 8000, 1, 8, 0.25},
		{[]string{"-r", "48000", "-b", "32", "-c", "2", "-e", "floating-point"}, 48000, 2, 32, 0.1},
	}
	for _, tt := range tests {
		path := filepath.Join(t.TempDir(), "sox.wav")
		args := append([]string{"-n"}, tt.args...)
		args = append(args, path, "synth", formatSeconds(tt.seconds), "whitenoise")
		if out, err := exec.Command("sox", args...).CombinedOutput(); err != nil {
			t.Fatalf("sox %v: %v: %s", args, err, out)
		}
		info, err := Inspect(testkit.ReadFile(t, path))
		if err != nil {
			t.Fatalf("Inspect(sox %v): %v", tt.args, err)
		}
		if info.SampleRate != tt.rate || info.Channels != tt.channels || info.Depth != tt.depth || math.Abs(info.Seconds-tt.seconds) > 1e-3 {
			t.Errorf("Inspect(sox %v) = %+v", tt.args, info)
		}
	}
}

func TestInspectBad(t *testing.T) {
	wav := synth(t, Params{Seconds: 0.1, SampleRate: 16000, Depth: 16, Channels: 1, Format: FormatWAV})
	mp3 := synth(t, Params{Seconds: 0.1, SampleRate: 16000, Depth: 16, Channels: 1, Format: FormatMP3})
	edit := func(b []byte, f func([]byte)) []byte {
		c := append([]byte(nil), b...)
		f(c)
		return c
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a WAV or MP3 file"},
		{"text", []byte("hello world"), "not a WAV or MP3 file"},
		{"riff not wave", edit(wav, func(b []byte) { copy(b[8:], "AVI ") }), "not a WAV or MP3 file"},
		{"truncated data", wav[:len(wav)-100], "bad WAV header: data chunk claims 3200 bytes, file has 3100"},
		{"header only", wav[:36], "bad WAV header: no data chunk"},
		{"zero channels", edit(wav, func(b []byte) { binary.LittleEndian.PutUint16(b[22:], 0) }), "bad WAV header: 0 channels"},
		{"zero rate", edit(wav, func(b []byte) { binary.LittleEndian.PutUint32(b[24:], 0) }), "bad WAV header: sample rate 0 Hz"},
		{"12 bits", edit(wav, func(b []byte) { binary.LittleEndian.PutUint16(b[34:], 12) }), "bad WAV header: 12 bits per sample"},
		{"block align", edit(wav, func(b []byte) { binary.LittleEndian.PutUint16(b[32:], 4) }), "bad WAV header: block align 4 for 1 channels of 16 bits"},
		{"adpcm", edit(wav, func(b []byte) { binary.LittleEndian.PutUint16(b[20:], 2) }), "bad WAV header: format tag 0x0002 is not PCM or float"},
		{"no fmt", edit(wav, func(b []byte) { copy(b[12:], "junk") }), "bad WAV header: data chunk before fmt chunk"},
		{"mp3 bad layer", edit(mp3, func(b []byte) { b[1] = 0xFD }), "bad MP3 frame at byte 0: not Layer III (layer bits 2)"},
		{"mp3 bad rate", edit(mp3, func(b []byte) { b[2] |= 0x0C }), "bad MP3 frame at byte 0: reserved sample rate index"},
		{"id3 only", []byte("ID3\x04\x00\x00\x00\x00\x00\x05abcde"), "bad MP3 header: ID3 tag of 15 bytes leaves no audio"},
		{"id3 then junk", []byte("ID3\x04\x00\x00\x00\x00\x00\x00junkjunk"), "bad MP3 frame at byte 10: no frame sync"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Inspect(tt.data)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Inspect error = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := Inspect([]byte("x")); !errors.Is(err, ErrUnknownFormat) {
		t.Errorf("Inspect(garbage) error %v is not ErrUnknownFormat", err)
	}
}
