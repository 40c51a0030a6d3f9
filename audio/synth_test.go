package audio

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// needTool skips the test when a real decoder is not installed.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not installed (apt-get install -y %s): real-decoder check skipped", name, map[string]string{"soxi": "sox", "ffprobe": "ffmpeg", "ffmpeg": "ffmpeg"}[name])
	}
}

// writeClip stores c in a temporary file named for its format.
func writeClip(t *testing.T, c Clip) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "clip."+c.Format)
	if err := os.WriteFile(path, c.Data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func soxi(t *testing.T, flag, path string) string {
	t.Helper()
	out, err := exec.Command("soxi", flag, path).CombinedOutput()
	if err != nil {
		t.Fatalf("soxi %s %s: %v: %s", flag, path, err, out)
	}
	return strings.TrimSpace(string(out))
}

func TestSynthesizeWAVDecodesWithSox(t *testing.T) {
	needTool(t, "soxi")
	tests := []struct {
		seconds               float64
		rate, depth, channels int
	}{
		{0.01, 8000, 8, 1},
		{0.5, 8000, 8, 2},
		{1.37, 16000, 16, 1},
		{2, 16000, 16, 2},
		{0.25, 22050, 24, 1},
		{0.33, 24000, 24, 2},
		{0.2, 44100, 32, 1},
		{0.1, 48000, 32, 2},
		{0.123, 11025, 8, 1}, // odd byte count: padded data chunk
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%gs_%dHz_%dbit_%dch", tt.seconds, tt.rate, tt.depth, tt.channels)
		t.Run(name, func(t *testing.T) {
			p := Params{Seconds: tt.seconds, SampleRate: tt.rate, Depth: tt.depth, Channels: tt.channels, Format: FormatWAV}
			c, err := Synthesize(p, rand.New(rand.NewSource(1)))
			if err != nil {
				t.Fatal(err)
			}
			path := writeClip(t, c)
			frames := int(tt.seconds * float64(tt.rate))
			checks := map[string]string{
				"-t": "wav",
				"-r": strconv.Itoa(tt.rate),
				"-c": strconv.Itoa(tt.channels),
				"-b": strconv.Itoa(tt.depth),
				"-s": strconv.Itoa(frames),
			}
			for flag, want := range checks {
				if got := soxi(t, flag, path); got != want {
					t.Errorf("soxi %s = %q, want %q", flag, got, want)
				}
			}
			wantEnc := "Signed Integer PCM"
			if tt.depth == 8 {
				wantEnc = "Unsigned Integer PCM"
			}
			if got := soxi(t, "-e", path); got != wantEnc {
				t.Errorf("soxi -e = %q, want %q", got, wantEnc)
			}
			if got, _ := strconv.ParseFloat(soxi(t, "-D", path), 64); math.Abs(got-c.Seconds) > 1e-4 {
				t.Errorf("soxi -D = %g, want %g", got, c.Seconds)
			}
			checkClipFields(t, c, p, frames)
		})
	}
}

// checkClipFields checks the Clip's own description and its base64.
func checkClipFields(t *testing.T, c Clip, p Params, frames int) {
	t.Helper()
	if c.SampleRate != p.SampleRate || c.Channels != p.Channels || c.Format != p.Format {
		t.Errorf("clip fields %+v do not match params %+v", c, p)
	}
	if want := float64(frames) / float64(p.SampleRate); c.Seconds != want {
		t.Errorf("clip Seconds = %g, want %g", c.Seconds, want)
	}
	if !bytes.Equal(c.Base64, []byte(base64.StdEncoding.EncodeToString(c.Data))) {
		t.Error("Base64 is not the standard encoding of Data")
	}
}

func TestSynthesizeWAVSignal(t *testing.T) {
	// 16-bit noise of σ 0.3 has a sample std near 0.3·32767 and never leaves the range.
	c, err := Synthesize(Params{Seconds: 1, SampleRate: 16000, Depth: 16, Channels: 1, Format: FormatWAV}, rand.New(rand.NewSource(7)))
	if err != nil {
		t.Fatal(err)
	}
	pcm := c.Data[44:]
	var sum, sq float64
	n := len(pcm) / 2
	for i := 0; i < n; i++ {
		v := float64(int16(uint16(pcm[2*i]) | uint16(pcm[2*i+1])<<8))
		sum += v
		sq += v * v
	}
	mean := sum / float64(n)
	std := math.Sqrt(sq/float64(n) - mean*mean)
	if want := 0.3 * 32767; math.Abs(std-want) > 0.03*want || math.Abs(mean) > 0.02*want {
		t.Errorf("noise mean %.1f std %.1f, want mean ≈ 0 and std ≈ %.1f", mean, std, want)
	}
}

func TestSynthesizeMP3DecodesWithFFmpeg(t *testing.T) {
	needTool(t, "ffprobe")
	needTool(t, "ffmpeg")
	tests := []struct {
		seconds        float64
		rate, channels int
	}{
		{0.01, 8000, 1},
		{1, 11025, 2},
		{0.7, 12000, 1},
		{1.5, 16000, 1},
		{1, 22050, 2},
		{0.5, 24000, 1},
		{1, 32000, 2},
		{2, 44100, 1},
		{0.4, 48000, 2},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%gs_%dHz_%dch", tt.seconds, tt.rate, tt.channels), func(t *testing.T) {
			p := Params{Seconds: tt.seconds, SampleRate: tt.rate, Depth: 16, Channels: tt.channels, Format: FormatMP3}
			c, err := Synthesize(p, rand.New(rand.NewSource(1)))
			if err != nil {
				t.Fatal(err)
			}
			path := writeClip(t, c)
			got := ffprobeStream(t, path)
			if got.CodecName != "mp3" || got.SampleRate != strconv.Itoa(tt.rate) || got.Channels != tt.channels {
				t.Errorf("ffprobe = %+v, want mp3 %d Hz %d ch", got, tt.rate, tt.channels)
			}
			// A full decode must succeed without a single decoder complaint.
			out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "null", "-").CombinedOutput()
			if err != nil || len(bytes.TrimSpace(out)) != 0 {
				t.Errorf("ffmpeg decode: %v: %s", err, out)
			}
			// Encoded length is the asked length rounded up to whole frames (two at least).
			frame := 1152.0 / float64(tt.rate)
			if tt.rate < 32000 {
				frame /= 2
			}
			dur, _ := strconv.ParseFloat(got.Duration, 64)
			if dur < tt.seconds || dur > max(tt.seconds+frame, 2*frame)+1e-6 {
				t.Errorf("ffprobe duration %g s, want %g s within a frame (%g s)", dur, tt.seconds, frame)
			}
			checkClipFields(t, c, p, int(tt.seconds*float64(tt.rate)))
			// Short clips are mostly the decoder's fade-in, so only longer ones are measured.
			if rms := decodedRMS(t, path); tt.seconds >= 0.5 && (rms < 0.25 || rms > 0.35) {
				t.Errorf("decoded RMS %.3f, want about %.1f", rms, Sigma)
			}
			if c.Depth != 0 {
				t.Errorf("mp3 clip Depth = %d, want 0", c.Depth)
			}
			info, err := Inspect(c.Data)
			if err != nil || info.SampleRate != tt.rate || info.Channels != tt.channels || math.Abs(info.Seconds-dur) > frame {
				t.Errorf("Inspect = %+v, %v; ffprobe says %d Hz %d ch %g s", info, err, tt.rate, tt.channels, dur)
			}
		})
	}
}

type probeStream struct {
	CodecName  string `json:"codec_name"`
	SampleRate string `json:"sample_rate"`
	Channels   int    `json:"channels"`
	Duration   string `json:"duration"`
}

func ffprobeStream(t *testing.T, path string) probeStream {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries",
		"stream=codec_name,sample_rate,channels,duration", "-of", "json", path).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", path, err)
	}
	var r struct{ Streams []probeStream }
	if err := json.Unmarshal(out, &r); err != nil || len(r.Streams) != 1 {
		t.Fatalf("ffprobe output %s: %v", out, err)
	}
	return r.Streams[0]
}

func TestSynthesizeSeeded(t *testing.T) {
	for _, format := range []string{FormatWAV, FormatMP3} {
		p := Params{Seconds: 0.3, SampleRate: 16000, Depth: 16, Channels: 1, Format: format}
		a, err := Synthesize(p, rand.New(rand.NewSource(42)))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Synthesize(p, rand.New(rand.NewSource(42)))
		c, _ := Synthesize(p, rand.New(rand.NewSource(43)))
		if !bytes.Equal(a.Data, b.Data) {
			t.Errorf("%s: same seed gave different bytes", format)
		}
		if bytes.Equal(a.Data, c.Data) {
			t.Errorf("%s: different seeds gave the same bytes", format)
		}
	}
}

func TestSynthesizeRejectsBadParams(t *testing.T) {
	_, err := Synthesize(Params{Seconds: 1, SampleRate: 0, Depth: 16, Channels: 1, Format: FormatWAV}, rand.New(rand.NewSource(1)))
	if err == nil || !strings.Contains(err.Error(), "--audio-sample-rates") {
		t.Errorf("Synthesize with rate 0: err = %v, want the flag named", err)
	}
}

// decodedRMS decodes path with ffmpeg to float samples and returns their RMS.
func decodedRMS(t *testing.T, path string) float64 {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-nostdin", "-v", "error", "-i", path, "-f", "f32le", "-").Output()
	if err != nil || len(out) < 4 {
		t.Fatalf("ffmpeg decode %s to f32: %v", path, err)
	}
	var sq float64
	n := len(out) / 4
	for i := 0; i < n; i++ {
		v := float64(math.Float32frombits(binary.LittleEndian.Uint32(out[4*i:])))
		sq += v * v
	}
	return math.Sqrt(sq / float64(n))
}
