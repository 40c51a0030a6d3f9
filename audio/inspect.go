package audio

import (
	"bytes"
	"errors"
)

// Info describes audio bytes as read from their headers.
type Info struct {
	Format     string  `json:"format"`
	SampleRate int     `json:"sample_rate"`
	Channels   int     `json:"channels"`
	Depth      int     `json:"depth"` // bits per sample; 0 for mp3
	Seconds    float64 `json:"seconds"`
}

// ErrUnknownFormat is returned by Inspect for bytes that are neither WAV nor MP3.
var ErrUnknownFormat = errors.New("not a WAV or MP3 file")

// Inspect detects the format of data from its content (RIFF/WAVE → wav; an ID3v2
// tag or an MPEG audio frame sync → mp3) and reads its parameters and duration.
func Inspect(data []byte) (Info, error) {
	switch {
	case len(data) >= 12 && bytes.Equal(data[:4], []byte("RIFF")) && bytes.Equal(data[8:12], []byte("WAVE")):
		return inspectWAV(data)
	case len(data) >= 3 && bytes.Equal(data[:3], []byte("ID3")):
		return inspectMP3(data)
	case len(data) >= 2 && data[0] == 0xFF && data[1]&0xE0 == 0xE0:
		return inspectMP3(data)
	}
	return Info{}, ErrUnknownFormat
}
