package publicdata

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/mewkiz/flac"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
)

// Clip is one decoded row: audio a server takes (WAV, or MP3 as stored) and
// its transcript.
type Clip struct {
	Format     string // "wav" or "mp3"
	Data       []byte
	Seconds    float64
	Transcript string
}

// decode turns a row's audio bytes into a WAV or MP3 clip: FLAC is decoded to
// PCM WAV, WAV and MP3 are kept as they are.
func decode(data []byte) (format string, out []byte, seconds float64, err error) {
	if bytes.HasPrefix(data, []byte("fLaC")) {
		out, seconds, err = flacToWAV(data)
		return "wav", out, seconds, err
	}
	info, err := audio.Inspect(data)
	if err != nil {
		return "", nil, 0, fmt.Errorf("audio is neither FLAC, WAV nor MP3: %w", err)
	}
	return info.Format, bytes.Clone(data), info.Seconds, nil // data is the reader's buffer
}

// maxFLACRate bounds the sample rate taken from a FLAC header (speech corpora
// use 8-48 kHz), so that with MaxSeconds it bounds a clip's decoded samples.
const maxFLACRate = 192000

// flacToWAV decodes a FLAC stream into a PCM WAV file of the same rate,
// channels and depth (8, 16, 24 or 32 bits). A stream longer than MaxSeconds
// (by its header, or found while decoding) returns its length and no audio:
// Load skips it. The header's sample count is not trusted for memory: the
// samples kept never exceed MaxSeconds' worth.
func flacToWAV(data []byte) ([]byte, float64, error) {
	s, err := flac.New(bytes.NewReader(data))
	if err != nil {
		return nil, 0, fmt.Errorf("FLAC: %w", err)
	}
	defer s.Close()
	rate, channels, depth := int(s.Info.SampleRate), int(s.Info.NChannels), int(s.Info.BitsPerSample)
	switch depth {
	case 8, 16, 24, 32:
	default:
		return nil, 0, fmt.Errorf("FLAC: %d-bit samples are not supported", depth)
	}
	if rate <= 0 || rate > maxFLACRate || channels <= 0 {
		return nil, 0, fmt.Errorf("FLAC: a sample rate of %d Hz with %d channels is not supported", rate, channels)
	}
	limit := (MaxSeconds*rate + 1) * channels // samples of the longest clip kept, plus one
	if n := int64(s.Info.NSamples); n > 0 && n*int64(channels) > int64(limit) {
		return nil, float64(n) / float64(rate), nil
	}
	samples := make([]int, 0, min(int(s.Info.NSamples)*channels, limit))
	for {
		f, err := s.ParseNext()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, 0, fmt.Errorf("FLAC: %w", err)
		}
		if len(f.Subframes) != channels {
			return nil, 0, fmt.Errorf("FLAC: a frame has %d channels, the stream header %d", len(f.Subframes), channels)
		}
		n := f.Subframes[0].NSamples
		for _, sub := range f.Subframes {
			if sub.NSamples != n || len(sub.Samples) < n {
				return nil, 0, errors.New("FLAC: a frame's channels differ in length")
			}
		}
		if len(samples)+n*channels > limit {
			return nil, float64(len(samples)/channels+n) / float64(rate), nil
		}
		for i := range n {
			for c := range channels {
				samples = append(samples, int(f.Subframes[c].Samples[i]))
			}
		}
	}
	if len(samples) == 0 {
		return nil, 0, errors.New("FLAC: no audio")
	}
	wav, err := audio.EncodeWAV(samples, rate, depth, channels)
	if err != nil {
		return nil, 0, err
	}
	return wav, float64(len(samples)/channels) / float64(rate), nil
}
