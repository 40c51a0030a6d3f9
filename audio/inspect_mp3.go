package audio

import (
	"fmt"
)

// MPEG audio version bits of a frame header.
const (
	mpeg25 = 0
	mpeg2  = 2
	mpeg1  = 3
)

// Layer III bitrates (kbit/s) by index, for MPEG-1 and for MPEG-2/2.5.
var (
	bitrates1 = [16]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0}
	bitrates2 = [16]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0}
	// mp3Rates by version bits, then rate index.
	mp3Rates = [4][3]int{mpeg25: {11025, 12000, 8000}, mpeg2: {22050, 24000, 16000}, mpeg1: {44100, 48000, 32000}}
)

// mp3Frame is one parsed Layer III frame header.
type mp3Frame struct {
	rate, channels, samples, length int
}

// inspectMP3 skips an ID3v2 tag, then walks Layer III frames to count samples.
func inspectMP3(data []byte) (Info, error) {
	off, err := skipID3(data)
	if err != nil {
		return Info{}, err
	}
	first, err := parseMP3Frame(data[off:])
	if err != nil {
		return Info{}, fmt.Errorf("bad MP3 frame at byte %d: %w", off, err)
	}
	samples := 0
	if hasInfoTag(data[off:], first) {
		off += first.length // the tag frame is silence, not audio
	}
	for off < len(data) {
		f, err := parseMP3Frame(data[off:])
		if err != nil || f.rate != first.rate || f.channels != first.channels {
			break // trailing tag or junk ends the stream
		}
		samples += f.samples
		off += f.length
	}
	return Info{
		Format:     FormatMP3,
		SampleRate: first.rate,
		Channels:   first.channels,
		Seconds:    float64(samples) / float64(first.rate),
	}, nil
}

// skipID3 returns the offset just past a leading ID3v2 tag (0 when none).
func skipID3(data []byte) (int, error) {
	if len(data) < 3 || string(data[:3]) != "ID3" {
		return 0, nil
	}
	if len(data) < 10 {
		return 0, fmt.Errorf("bad MP3 header: ID3 tag of %d bytes", len(data))
	}
	size := 0
	for _, b := range data[6:10] {
		if b&0x80 != 0 {
			return 0, fmt.Errorf("bad MP3 header: ID3 size is not syncsafe")
		}
		size = size<<7 | int(b)
	}
	end := 10 + size
	if data[5]&0x10 != 0 { // footer present
		end += 10
	}
	if end >= len(data) {
		return 0, fmt.Errorf("bad MP3 header: ID3 tag of %d bytes leaves no audio", end)
	}
	return end, nil
}

// parseMP3Frame reads a 4-byte MPEG audio frame header at the start of b.
func parseMP3Frame(b []byte) (mp3Frame, error) {
	if len(b) < 4 {
		return mp3Frame{}, fmt.Errorf("%d bytes is too short for a frame header", len(b))
	}
	if b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return mp3Frame{}, fmt.Errorf("no frame sync")
	}
	version := int(b[1]>>3) & 3
	layer := int(b[1]>>1) & 3
	brIndex := int(b[2] >> 4)
	srIndex := int(b[2]>>2) & 3
	padding := int(b[2]>>1) & 1
	switch {
	case version == 1:
		return mp3Frame{}, fmt.Errorf("reserved MPEG version")
	case layer != 1:
		return mp3Frame{}, fmt.Errorf("not Layer III (layer bits %d)", layer)
	case brIndex == 0 || brIndex == 15:
		return mp3Frame{}, fmt.Errorf("unsupported bitrate index %d", brIndex)
	case srIndex == 3:
		return mp3Frame{}, fmt.Errorf("reserved sample rate index")
	}
	f := mp3Frame{rate: mp3Rates[version][srIndex], channels: 2, samples: 1152}
	if b[3]>>6 == 3 {
		f.channels = 1
	}
	if version == mpeg1 {
		f.length = 144*bitrates1[brIndex]*1000/f.rate + padding
	} else {
		f.samples = 576
		f.length = 72*bitrates2[brIndex]*1000/f.rate + padding
	}
	return f, nil
}

// hasInfoTag reports whether the frame at the start of b carries a Xing or Info
// tag right after its side information.
func hasInfoTag(b []byte, f mp3Frame) bool {
	side := map[int]int{1: 17, 2: 32}[f.channels]
	if f.samples == 576 {
		side = map[int]int{1: 9, 2: 17}[f.channels]
	}
	at := 4 + side
	if len(b) < at+4 || at+4 > f.length {
		return false
	}
	tag := string(b[at : at+4])
	return tag == "Xing" || tag == "Info"
}
