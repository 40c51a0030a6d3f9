package inputs

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// Bounds of synthetic video (ours; AIPerf has none): a frame side, the frame
// rate and the length, so one setting cannot ask for days of encoding.
const (
	maxVideoSide    = 4096
	maxVideoFPS     = 240
	maxVideoSeconds = 3600
	// maxSyntheticVideoBytes bounds all videos of a dataset together, as base64 (4 GiB).
	maxSyntheticVideoBytes = 4 << 30
)

// videoAudioCodecs are the audio encoders --video-audio-codec takes, as AIPerf's.
var videoAudioCodecs = map[string]bool{"libvorbis": true, "libopus": true, "aac": true}

// encoderName is what an ffmpeg encoder name looks like: it goes into
// ffmpeg's argument list, so it must not read as an option.
var encoderName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// videoMaker encodes the synthetic videos of a dataset with the ffmpeg binary.
type videoMaker struct {
	o      *options.Options
	rng    *rand.Rand
	ffmpeg string  // the binary's path
	frames int     // frames per video: int(duration x fps), as AIPerf
	rateHz int     // audio track sample rate
	shared *urlRef // the one video every request shares when no two differ
	held   int64   // base64 bytes of every video made so far
}

// newVideoMaker checks the --video-* settings and finds ffmpeg; nil when
// video is off (--video-batch-size 0, the default).
func newVideoMaker(o *options.Options, rng *rand.Rand) (*videoMaker, error) {
	if err := checkVideoOptions(o); err != nil {
		return nil, err
	}
	if o.VideoBatchSize == 0 {
		return nil, nil
	}
	bin, err := exec.LookPath("ffmpeg")
	if err != nil {
		return nil, &options.Error{Flag: "video-batch-size", Msg: "synthetic video is encoded by ffmpeg, and no ffmpeg is on PATH: install it (e.g. apt-get install ffmpeg)"}
	}
	return &videoMaker{o: o, rng: rng, ffmpeg: bin, frames: videoFrames(o), rateHz: videoAudioRateHz(o.VideoAudioSampleRate)}, nil
}

// videoFrames is AIPerf's frame count: int(duration x fps).
func videoFrames(o *options.Options) int { return int(o.VideoDuration * float64(o.VideoFPS)) }

// videoAudioRateHz reads --video-audio-sample-rate: kHz, or Hz above 1000 as
// AIPerf's generator reads it.
func videoAudioRateHz(v float64) int {
	if v > 1000 {
		return int(v)
	}
	return int(math.Round(v * 1000))
}

// checkVideoOptions refuses a bad --video-* value, naming the flag.
func checkVideoOptions(o *options.Options) error {
	bad := func(flag, format string, args ...any) error {
		return &options.Error{Flag: flag, Msg: fmt.Sprintf(format, args...)}
	}
	rate := o.VideoAudioSampleRate
	switch {
	case o.VideoBatchSize < 0:
		return bad("video-batch-size", "must be >= 0, got %d", o.VideoBatchSize)
	case o.VideoWidth < 0 || o.VideoWidth > maxVideoSide:
		return bad("video-width", "must be between 1 and %d pixels, got %d", maxVideoSide, o.VideoWidth)
	case o.VideoHeight < 0 || o.VideoHeight > maxVideoSide:
		return bad("video-height", "must be between 1 and %d pixels, got %d", maxVideoSide, o.VideoHeight)
	case !(o.VideoDuration > 0 && o.VideoDuration <= maxVideoSeconds):
		return bad("video-duration", "must be above 0 and at most %d seconds, got %g", maxVideoSeconds, o.VideoDuration)
	case o.VideoFPS < 1 || o.VideoFPS > maxVideoFPS:
		return bad("video-fps", "must be between 1 and %d, got %d", maxVideoFPS, o.VideoFPS)
	case videoFrames(o) < 1:
		return bad("video-duration", "%g s at %d fps is no whole frame", o.VideoDuration, o.VideoFPS)
	case o.VideoSynthType != synthMovingShapes && o.VideoSynthType != synthGridClock && o.VideoSynthType != synthNoise:
		return bad("video-synth-type", "unknown type %s (want moving_shapes, grid_clock or noise)", quoted(o.VideoSynthType))
	case o.VideoFormat != "webm" && o.VideoFormat != "mp4":
		return bad("video-format", "unknown format %s (want webm or mp4)", quoted(o.VideoFormat))
	case !encoderName.MatchString(o.VideoCodec):
		return bad("video-codec", "%s is not an ffmpeg encoder name", quoted(o.VideoCodec))
	case o.VideoAudioNumChannels < 0 || o.VideoAudioNumChannels > 2:
		return bad("video-audio-num-channels", "must be 0 (no audio), 1 or 2, got %d", o.VideoAudioNumChannels)
	case o.VideoAudioCodec != "" && !videoAudioCodecs[o.VideoAudioCodec]:
		return bad("video-audio-codec", "unknown codec %s (want libvorbis, libopus or aac)", quoted(o.VideoAudioCodec))
	case o.VideoAudioCodec != "" && o.VideoAudioNumChannels == 0:
		return bad("video-audio-codec", "%s is set but --video-audio-num-channels is 0 (no audio track): set it to 1 or 2", o.VideoAudioCodec)
	case o.VideoAudioDepth != 8 && o.VideoAudioDepth != 16 && o.VideoAudioDepth != 24 && o.VideoAudioDepth != 32:
		return bad("video-audio-depth", "must be 8, 16, 24 or 32, got %d", o.VideoAudioDepth)
	case !(rate >= 8 && rate <= 96 || rate >= 8000 && rate <= 96000):
		return bad("video-audio-sample-rate", "must be 8 to 96 kHz (or 8000 to 96000 Hz), got %g", rate)
	}
	if o.VideoBatchSize == 0 {
		if o.VideoWidth > 0 || o.VideoHeight > 0 {
			return bad("video-batch-size", "is 0 while --video-width/--video-height are set: give --video-batch-size 1 or more to send video")
		}
		return nil
	}
	switch {
	case o.VideoWidth == 0:
		return bad("video-width", "is 0: synthetic video needs --video-width and --video-height")
	case o.VideoHeight == 0:
		return bad("video-height", "is 0: synthetic video needs --video-width and --video-height")
	case promptSource(o) != "":
		return bad("video-batch-size", "synthetic video goes with synthetic prompts only, not with --input-file, --public-dataset or --audio-source speech")
	case o.EndpointType == EndpointTranscription:
		return bad("video-batch-size", "%s takes no video", EndpointTranscription)
	}
	return nil
}

// next returns one video as a data URL. Moving shapes and the grid clock
// without an audio track are the same every time: encoded once and shared.
func (m *videoMaker) next(ctx context.Context) (*urlRef, error) {
	same := m.o.VideoSynthType != synthNoise && m.o.VideoAudioNumChannels == 0
	if same && m.shared != nil {
		return m.shared, nil
	}
	data, err := m.encode(ctx)
	if err != nil {
		return nil, err
	}
	url := "data:video/" + m.o.VideoFormat + ";base64," + base64.StdEncoding.EncodeToString(data)
	m.held += int64(len(url))
	if m.held > maxSyntheticVideoBytes {
		return nil, &options.Error{Flag: "video-batch-size", Msg: fmt.Sprintf("the dataset's videos pass the limit of %d GiB: lower --num-dataset-entries, --video-batch-size, the size, --video-fps or --video-duration", maxSyntheticVideoBytes>>30)}
	}
	ref := newURLRef(url)
	if same {
		m.shared = ref
	}
	return ref, nil
}

// encode pipes the frames to ffmpeg as raw RGBA (our own synthesis) with an
// optional noise WAV track, as AIPerf's generator does, and returns the file.
func (m *videoMaker) encode(ctx context.Context) ([]byte, error) {
	o := m.o
	dir, err := os.MkdirTemp("", "aiperf-video-")
	if err != nil {
		return nil, fmt.Errorf("synthetic video: %w", err)
	}
	defer os.RemoveAll(dir)
	args := []string{"-hide_banner", "-nostats", "-loglevel", "error",
		"-f", "rawvideo", "-pix_fmt", "rgba", "-s", fmt.Sprintf("%dx%d", o.VideoWidth, o.VideoHeight),
		"-r", strconv.Itoa(o.VideoFPS), "-i", "pipe:0"}
	if o.VideoAudioNumChannels > 0 {
		wav := filepath.Join(dir, "audio.wav")
		clip, err := audio.Synthesize(audio.Params{Seconds: max(o.VideoDuration, audio.MinSeconds), SampleRate: m.rateHz,
			Depth: o.VideoAudioDepth, Channels: o.VideoAudioNumChannels, Format: audio.FormatWAV}, m.rng)
		if err != nil {
			return nil, fmt.Errorf("synthetic video's audio track: %w", err)
		}
		if err := os.WriteFile(wav, clip.Data, 0o600); err != nil {
			return nil, fmt.Errorf("synthetic video: %w", err)
		}
		args = append(args, "-i", wav)
	}
	// bitexact: no encoder version strings, so a seed gives the same bytes anywhere.
	args = append(args, "-f", o.VideoFormat, "-vcodec", o.VideoCodec, "-pix_fmt", "yuv420p",
		"-fflags", "+bitexact", "-flags:v", "+bitexact")
	if o.VideoFormat == "mp4" {
		args = append(args, "-movflags", "+faststart")
	}
	if o.VideoAudioNumChannels > 0 {
		args = append(args, "-acodec", videoAudioCodec(o), "-flags:a", "+bitexact", "-shortest")
	}
	out := filepath.Join(dir, "video."+o.VideoFormat)
	args = append(args, "-y", out)

	cmd := exec.CommandContext(ctx, m.ffmpeg, args...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("synthetic video: %w", err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("synthetic video: start ffmpeg: %w", err)
	}
	writeErr := m.writeFrames(stdin)
	stdin.Close()
	waitErr := cmd.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("building the dataset: %w", err)
	}
	if waitErr != nil || writeErr != nil {
		return nil, fmt.Errorf("synthetic video (--video-codec %s, --video-format %s, %dx%d, %d fps): ffmpeg failed: %s",
			o.VideoCodec, o.VideoFormat, o.VideoWidth, o.VideoHeight, o.VideoFPS, ffmpegReason(stderr.String(), waitErr, writeErr))
	}
	// One video's base64 must fit what the dataset may still hold.
	data, err := boundedfile.Read(out, max(maxSyntheticVideoBytes-m.held, 0)*3/4)
	if err != nil || len(data) == 0 {
		return nil, fmt.Errorf("synthetic video: ffmpeg wrote no video within the limit of %d GiB of videos: %v", maxSyntheticVideoBytes>>30, err)
	}
	return data, nil
}

// writeFrames draws every frame and writes it to ffmpeg; a frame is drawn
// into one reused buffer, so memory stays one frame whatever the length.
func (m *videoMaker) writeFrames(w io.Writer) error {
	img := image.NewRGBA(image.Rect(0, 0, m.o.VideoWidth, m.o.VideoHeight))
	drawFrame := drawerFor(m.o.VideoSynthType, m.rng)
	for n := range m.frames {
		drawFrame(img, n, m.frames)
		if _, err := w.Write(img.Pix); err != nil {
			return err
		}
	}
	return nil
}

// videoAudioCodec is --video-audio-codec, or AIPerf's choice for the container.
func videoAudioCodec(o *options.Options) string {
	if o.VideoAudioCodec != "" {
		return o.VideoAudioCodec
	}
	if o.VideoFormat == "mp4" {
		return "libopus"
	}
	return "libvorbis"
}

// ffmpegReason is what ffmpeg said, on one line (at most 400 bytes), or the
// process error when it said nothing.
func ffmpegReason(stderr string, errs ...error) string {
	said := strings.Join(strings.Fields(strings.ReplaceAll(strings.TrimSpace(stderr), "\n", " ; ")), " ")
	if said == "" {
		return errors.Join(errs...).Error()
	}
	if len(said) > 400 {
		said = said[:400] + "..."
	}
	return said
}
