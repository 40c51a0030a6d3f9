package audio

import (
	"strconv"
	"testing"
)

// FuzzInspect checks Inspect never panics and never reports impossible values.
// Seeds are in testdata/fuzz/FuzzInspect; more are added from generated clips.
func FuzzInspect(f *testing.F) {
	for _, p := range []Params{
		{Seconds: 0.01, SampleRate: 8000, Depth: 8, Channels: 1, Format: FormatWAV},
		{Seconds: 0.01, SampleRate: 16000, Depth: 24, Channels: 2, Format: FormatWAV},
		{Seconds: 0.01, SampleRate: 8000, Depth: 16, Channels: 1, Format: FormatMP3},
	} {
		f.Add(synth(f, p))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Inspect(data)
		if err != nil {
			return
		}
		if info.SampleRate <= 0 || info.Channels <= 0 || info.Seconds < 0 || info.Seconds != info.Seconds {
			t.Errorf("Inspect accepted %d bytes with impossible %+v", len(data), info)
		}
	})
}

func formatSeconds(s float64) string { return strconv.FormatFloat(s, 'f', -1, 64) }
