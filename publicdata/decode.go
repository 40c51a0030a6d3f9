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

// flacToWAV decodes a FLAC stream into a PCM WAV file of the same rate,
// channels and depth (8, 16, 24 or 32 bits).
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
	samples := make([]int, 0, int(s.Info.NSamples)*channels)
	for {
		f, err := s.ParseNext()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, 0, fmt.Errorf("FLAC: %w", err)
		}
		n := f.Subframes[0].NSamples
		for i := 0; i < n; i++ {
			for c := range channels {
				samples = append(samples, int(f.Subframes[c].Samples[i]))
			}
		}
	}
	if rate <= 0 || channels <= 0 || len(samples) == 0 {
		return nil, 0, errors.New("FLAC: no audio")
	}
	wav, err := audio.EncodeWAV(samples, rate, depth, channels)
	if err != nil {
		return nil, 0, err
	}
	return wav, float64(len(samples)/channels) / float64(rate), nil
}
