package audio

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/rand"
)

// Sigma is the standard deviation of AIPerf's synthetic noise (before clipping to ±1).
const Sigma = 0.3

// Clip is a synthetic audio file, encoded once and base64-encoded once, so
// requests can reuse it by reference.
type Clip struct {
	Format     string
	Data       []byte // file bytes
	Base64     []byte // standard base64 of Data
	Seconds    float64
	SampleRate int
	Depth      int // bits per sample of the PCM; 0 for mp3 (compressed)
	Channels   int
}

// Synthesize makes a clip of Gaussian noise (σ = 0.3, clipped to ±1, scaled to
// the integer range) with int(Seconds·SampleRate) frames, drawing from rng.
func Synthesize(p Params, rng *rand.Rand) (Clip, error) {
	if err := Validate(p); err != nil {
		return Clip{}, err
	}
	frames := int(p.Seconds * float64(p.SampleRate))
	if frames < 1 {
		frames = 1
	}
	var data []byte
	var err error
	depth := p.Depth
	switch p.Format {
	case FormatWAV:
		data, err = encodeWAV(noise(rng, frames*p.Channels, depth), p.SampleRate, depth, p.Channels)
	case FormatMP3:
		data, err = encodeMP3(rng, frames, p.SampleRate, p.Channels)
		depth = 0
	}
	if err != nil {
		return Clip{}, fmt.Errorf("synthesize %s clip: %w", p.Format, err)
	}
	b64 := make([]byte, base64.StdEncoding.EncodedLen(len(data)))
	base64.StdEncoding.Encode(b64, data)
	return Clip{
		Format:     p.Format,
		Data:       data,
		Base64:     b64,
		Seconds:    float64(frames) / float64(p.SampleRate),
		SampleRate: p.SampleRate,
		Depth:      depth,
		Channels:   p.Channels,
	}, nil
}

// noise returns n signed samples of clipped Gaussian noise scaled to depth bits
// (8-bit samples are signed here; the WAV writer shifts them to unsigned).
func noise(rng *rand.Rand, n, depth int) []int {
	scale := float64(int64(1)<<(depth-1) - 1)
	out := make([]int, n)
	for i := range out {
		x := math.Max(-1, math.Min(1, rng.NormFloat64()*Sigma))
		out[i] = int(x * scale)
	}
	return out
}
