package inputs

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// needFFmpeg skips a test without the ffmpeg and ffprobe binaries (.ci/run installs them).
func needFFmpeg(t *testing.T) {
	t.Helper()
	for _, bin := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("no %s on PATH", bin)
		}
	}
}

// probed is what ffprobe says of a video file.
type probed struct {
	Streams []struct {
		CodecType  string `json:"codec_type"`
		CodecName  string `json:"codec_name"`
		Width      int    `json:"width"`
		Height     int    `json:"height"`
		FrameRate  string `json:"r_frame_rate"`
		Channels   int    `json:"channels"`
		SampleRate string `json:"sample_rate"`
	} `json:"streams"`
	Format struct {
		Name     string `json:"format_name"`
		Duration string `json:"duration"`
	} `json:"format"`
}

func ffprobe(t *testing.T, data []byte) probed {
	t.Helper()
	path := filepath.Join(t.TempDir(), "v")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format", path).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	var p probed
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// videoPartsOf returns the decoded video files of a turn's video_url parts,
// checking AIPerf's shape: after the text, data:video/<format>;base64,<data>.
func videoPartsOf(t *testing.T, b Body, format string) [][]byte {
	t.Helper()
	raw := decode(t, b).Messages[0].Content
	var ps []struct {
		Type     string `json:"type"`
		VideoURL struct {
			URL string `json:"url"`
		} `json:"video_url"`
	}
	if err := json.Unmarshal(raw, &ps); err != nil {
		t.Fatalf("content %.80s: %v", raw, err)
	}
	var out [][]byte
	for i, p := range ps {
		if p.Type != "video_url" {
			continue
		}
		if i == 0 {
			t.Fatal("a video part before the text")
		}
		b64, ok := strings.CutPrefix(p.VideoURL.URL, "data:video/"+format+";base64,")
		if !ok {
			t.Fatalf("video URL %.40q, want data:video/%s;base64,", p.VideoURL.URL, format)
		}
		data, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

func TestSyntheticVideoFFprobe(t *testing.T) {
	needFFmpeg(t)
	for _, tc := range []struct {
		name                string
		args                []string
		format, vcodec      string
		w, h, fps           int
		seconds             float64
		acodec              string // "" no audio track
		channels, audioRate int
	}{
		{"defaults: webm vp9 moving shapes", nil, "webm", "vp9", 64, 48, 4, 1, "", 0, 0},
		{"grid clock, mp4", []string{"--video-synth-type", "grid_clock", "--video-format", "mp4", "--video-fps", "10", "--video-duration", "0.5"}, "mp4", "vp9", 64, 48, 10, 0.5, "", 0, 0},
		{"noise, vp8, stereo vorbis", []string{"--video-synth-type", "noise", "--video-codec", "libvpx", "--video-audio-num-channels", "2", "--video-audio-sample-rate", "48"}, "webm", "vp8", 64, 48, 4, 1, "vorbis", 2, 48000},
		{"mp4 with opus by default, rate in Hz", []string{"--video-format", "mp4", "--video-audio-num-channels", "1", "--video-audio-sample-rate", "16000", "--video-audio-depth", "24"}, "mp4", "vp9", 64, 48, 4, 1, "opus", 1, 48000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"-m", "x", "--isl", "5", "--num-dataset-entries", "2", "--video-batch-size", "2",
				"--video-width", "64", "--video-height", "48"}, tc.args...)
			d := build(t, 1, args...)
			for _, c := range d.Conversations {
				videos := videoPartsOf(t, c.Turns[0].Body, tc.format)
				if len(videos) != 2 {
					t.Fatalf("%d videos in a request, want 2", len(videos))
				}
				p := ffprobe(t, videos[0])
				if !strings.Contains(p.Format.Name, map[string]string{"webm": "webm", "mp4": "mp4"}[tc.format]) {
					t.Fatalf("container %q, want %s", p.Format.Name, tc.format)
				}
				dur, _ := strconv.ParseFloat(p.Format.Duration, 64)
				if math.Abs(dur-tc.seconds) > 0.06 {
					t.Fatalf("duration %s s, want %g", p.Format.Duration, tc.seconds)
				}
				var gotAudio bool
				for _, s := range p.Streams {
					switch s.CodecType {
					case "video":
						if s.CodecName != tc.vcodec || s.Width != tc.w || s.Height != tc.h || s.FrameRate != strconv.Itoa(tc.fps)+"/1" {
							t.Fatalf("video stream %s %dx%d at %s, want %s %dx%d at %d/1", s.CodecName, s.Width, s.Height, s.FrameRate, tc.vcodec, tc.w, tc.h, tc.fps)
						}
					case "audio":
						gotAudio = true
						if s.CodecName != tc.acodec || s.Channels != tc.channels || s.SampleRate != strconv.Itoa(tc.audioRate) {
							t.Fatalf("audio stream %s, %d channels at %s Hz; want %s, %d at %d", s.CodecName, s.Channels, s.SampleRate, tc.acodec, tc.channels, tc.audioRate)
						}
					}
				}
				if gotAudio != (tc.acodec != "") {
					t.Fatalf("audio track %v, want %v", gotAudio, tc.acodec != "")
				}
			}
		})
	}
}

// Moving shapes without audio are the same video every time: encoded once and
// shared by reference; noise draws each video anew, and a seed repeats it.
func TestSyntheticVideoSharingAndSeed(t *testing.T) {
	needFFmpeg(t)
	videoArgs := func(synth string) []string {
		return []string{"-m", "x", "--isl", "5", "--num-dataset-entries", "3", "--video-batch-size", "1",
			"--video-width", "32", "--video-height", "32", "--video-synth-type", synth}
	}
	o := opts(t, videoArgs("moving_shapes")...)
	b, err := newBuilder(o, tokens.Words{}, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	first, err := b.videos.next(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	second, err := b.videos.next(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Fatal("moving_shapes encoded twice; it is the same video every time")
	}
	a, again, other := build(t, 4, videoArgs("noise")...), build(t, 4, videoArgs("noise")...), build(t, 5, videoArgs("noise")...)
	v0, v1 := videoPartsOf(t, a.Conversations[0].Turns[0].Body, "webm")[0], videoPartsOf(t, a.Conversations[1].Turns[0].Body, "webm")[0]
	if bytes.Equal(v0, v1) {
		t.Fatal("two noise videos are the same")
	}
	if !bytes.Equal(v0, videoPartsOf(t, again.Conversations[0].Turns[0].Body, "webm")[0]) {
		t.Fatal("the same seed gave another noise video")
	}
	if bytes.Equal(v0, videoPartsOf(t, other.Conversations[0].Turns[0].Body, "webm")[0]) {
		t.Fatal("another seed gave the same noise video")
	}
}

func TestVideoOptionErrors(t *testing.T) {
	on := []string{"--video-batch-size", "1", "--video-width", "32", "--video-height", "32"}
	wantFlagRefusals(t, []string{"-m", "x"}, []flagRefusal{
		{[]string{"--video-batch-size", "-1"}, "video-batch-size", ">= 0"},
		{[]string{"--video-width", "64", "--video-height", "64"}, "video-batch-size", "is 0 while --video-width"},
		{[]string{"--video-batch-size", "1", "--video-height", "32"}, "video-width", "needs --video-width and --video-height"},
		{[]string{"--video-batch-size", "1", "--video-width", "32"}, "video-height", "needs --video-width and --video-height"},
		{append([]string{"--video-width", "5000"}, on[:2]...), "video-width", "between 1 and 4096"},
		{append([]string{"--video-duration", "0"}, on...), "video-duration", "above 0"},
		{append([]string{"--video-duration", "0.1"}, on...), "video-duration", "no whole frame"},
		{append([]string{"--video-fps", "0"}, on...), "video-fps", "between 1 and 240"},
		{append([]string{"--video-synth-type", "fractal"}, on...), "video-synth-type", `unknown type "fractal"`},
		{append([]string{"--video-format", "avi"}, on...), "video-format", `unknown format "avi"`},
		{append([]string{"--video-codec", "-y"}, on...), "video-codec", "not an ffmpeg encoder name"},
		{append([]string{"--video-audio-num-channels", "3"}, on...), "video-audio-num-channels", "0 (no audio), 1 or 2"},
		{append([]string{"--video-audio-codec", "mp3"}, on...), "video-audio-codec", `unknown codec "mp3"`},
		{append([]string{"--video-audio-codec", "libopus"}, on...), "video-audio-codec", "--video-audio-num-channels is 0"},
		{append([]string{"--video-audio-depth", "12"}, on...), "video-audio-depth", "8, 16, 24 or 32"},
		{append([]string{"--video-audio-sample-rate", "500"}, on...), "video-audio-sample-rate", "8 to 96 kHz"},
		{append([]string{"--input-file", "testdata/single_turn.jsonl"}, on...), "video-batch-size", "synthetic prompts only"},
		{append([]string{"--endpoint-type", "audio_transcription", "--audio-length-mean", "1"}, on...), "video-batch-size", "takes no video"},
	})
}

// Without ffmpeg a run asking for video stops at once, naming the flag.
func TestVideoWithoutFFmpeg(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	wantFlagError(t, "video-batch-size", "no ffmpeg is on PATH", "-m", "x", "--video-batch-size", "1", "--video-width", "32", "--video-height", "32")
}

// An encoder ffmpeg does not have is one line with ffmpeg's own words.
func TestVideoFFmpegFailure(t *testing.T) {
	needFFmpeg(t)
	_, err := Build(opts(t, "-m", "x", "--video-batch-size", "1", "--video-width", "32", "--video-height", "32", "--video-codec", "no_such_encoder"),
		tokens.Words{}, rand.New(rand.NewSource(1)))
	if err == nil || !strings.Contains(err.Error(), "ffmpeg failed") || !strings.Contains(err.Error(), "no_such_encoder") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("got %v", err)
	}
}

// The frames show AIPerf's pictures: at frame 0 the red circle's centre sits
// at the left edge, half way down, the green square at the top centre, the
// blue circle in the bottom-right corner; the red one then moves right by
// 2 x width / frames a frame.
func TestMovingShapesFrames(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 200, 100))
	at := func(x, y int) color.RGBA { return img.RGBAAt(x, y) }
	red, green, blue, black := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 255, 0, 255}, color.RGBA{0, 0, 255, 255}, color.RGBA{0, 0, 0, 255}
	drawMovingShapes(img, 0, 20)
	for _, c := range []struct {
		x, y int
		want color.RGBA
	}{{2, 50, red}, {100, 2, green}, {2, 2, blue}, {50, 80, black}} {
		if got := at(c.x, c.y); got != c.want {
			t.Fatalf("frame 0 at (%d,%d): %v, want %v", c.x, c.y, got, c.want)
		}
	}
	drawMovingShapes(img, 3, 20) // red centre at 3 x 200/20 x 2 = 60
	if at(60, 50) != red || at(2, 50) != black {
		t.Fatalf("frame 3: (60,50) %v, (2,50) %v; the red circle did not move to x=60", at(60, 50), at(2, 50))
	}
	drawGridClock(img, 0, 20)
	if at(32, 90) != (color.RGBA{64, 64, 64, 255}) || at(33, 90) != (color.RGBA{32, 32, 32, 255}) || at(100, 50) != red {
		t.Fatalf("grid clock: grid line %v, background %v, centre %v", at(32, 90), at(33, 90), at(100, 50))
	}
}

// Ctrl-C while ffmpeg encodes stops the build: ffmpeg is killed and waited
// for, and the error is the context's (the video asked for would take hours).
func TestVideoBuildStopsWhenCancelled(t *testing.T) {
	needFFmpeg(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(300 * time.Millisecond)
		cancel()
	}()
	o := opts(t, "-m", "x", "--num-dataset-entries", "1", "--video-batch-size", "1", "--video-width", "1024", "--video-height", "1024",
		"--video-fps", "240", "--video-duration", "3600", "--video-synth-type", "noise")
	_, err := BuildContext(ctx, o, tokens.Words{}, rand.New(rand.NewSource(1)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want the build stopped by its context", err)
	}
}
