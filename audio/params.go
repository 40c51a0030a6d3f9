package audio

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// Formats accepted by Params.Format.
const (
	FormatWAV = "wav"
	FormatMP3 = "mp3"
)

// MinSeconds is the shortest clip AIPerf makes.
const MinSeconds = 0.01

// Params describes one synthetic clip.
type Params struct {
	Seconds    float64
	SampleRate int // Hz
	Depth      int // bits: 8, 16, 24 or 32 (ignored by the MP3 encoder, which takes 16-bit PCM)
	Channels   int // 1 or 2
	Format     string
}

// MP3SampleRates lists the sample rates (Hz) MPEG-1/2/2.5 Layer III allows.
var MP3SampleRates = []int{8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000}

var depths = []int{8, 16, 24, 32}

// maxWAVBytes keeps the RIFF and data chunk sizes inside their uint32 fields.
const maxWAVBytes = math.MaxUint32 - 64

// Validate checks p and returns a one-line error naming the flag at fault.
func Validate(p Params) error {
	switch {
	case math.IsNaN(p.Seconds) || p.Seconds < MinSeconds:
		return fmt.Errorf("--audio-length-mean: %g s is below the %g s minimum", p.Seconds, MinSeconds)
	case p.SampleRate <= 0:
		return fmt.Errorf("--audio-sample-rates: %s kHz is not a valid sample rate", kHz(p.SampleRate))
	case !slices.Contains(depths, p.Depth):
		return fmt.Errorf("--audio-depths: %d is not one of 8, 16, 24, 32 bits", p.Depth)
	case p.Channels != 1 && p.Channels != 2:
		return fmt.Errorf("--audio-num-channels: %d is not 1 or 2", p.Channels)
	}
	switch p.Format {
	case FormatWAV:
		if size := p.Seconds * float64(p.SampleRate*p.Channels*p.Depth/8); size > maxWAVBytes {
			return fmt.Errorf("--audio-length-mean: a %g s clip needs %.0f bytes, over the 4 GiB WAV limit", p.Seconds, size)
		}
	case FormatMP3:
		if !slices.Contains(MP3SampleRates, p.SampleRate) {
			return fmt.Errorf("--audio-sample-rates: %s kHz is not allowed for mp3 (8, 11.025, 12, 16, 22.05, 24, 32, 44.1, 48)", kHz(p.SampleRate))
		}
	default:
		return fmt.Errorf("--audio-format: %q is not wav or mp3", p.Format)
	}
	return nil
}

// kHz prints a rate in Hz as the kHz figure users type (16000 → "16", 22050 → "22.05").
func kHz(hz int) string {
	return strconv.FormatFloat(float64(hz)/1000, 'f', -1, 64)
}
