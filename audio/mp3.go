package audio

import (
	"fmt"
	"math/rand"
	"slices"
)

// No usable pure-Go MP3 encoder is served by the module proxy (the one port of
// shine that is corrupts the Go heap through unsafe pointer arithmetic), so MP3
// clips are written here directly as MPEG Layer III frames whose spectral lines
// are random ±1 values: white noise made in the MDCT domain rather than
// transformed from time-domain samples. Every line is coded in the count1 region
// with the fixed-length quadruple table B, long blocks, no scalefactors and no
// bit reservoir, which any decoder accepts. mp3GlobalGain sets the level so the
// decoded signal has an RMS near Sigma (checked against ffmpeg in the tests).
// A silent first frame carries an "Info" (CBR Xing) tag with the frame count,
// as LAME writes, so decoders know the duration without scanning.

const (
	granuleLines = 576
	// mp3GlobalGain is calibrated so decoded noise has an RMS of about 0.3.
	mp3GlobalGain = 187
	// Constant bitrates (kbit/s) and their header indexes that leave room for a
	// fully coded stereo frame at every allowed sample rate.
	mpeg1Kbps, mpeg1KbpsIndex = 224, 12
	mpeg2Kbps, mpeg2KbpsIndex = 160, 14
)

// mp3Layout is the frame geometry for one sample rate.
type mp3Layout struct {
	version, rateIndex, granules, frameBytes int
	kbpsIndex                                int
}

func layoutFor(rate int) (mp3Layout, error) {
	for version, rates := range mp3Rates {
		i := slices.Index(rates[:], rate)
		if i < 0 || version == 1 {
			continue
		}
		if version == mpeg1 {
			return mp3Layout{version, i, 2, 144 * mpeg1Kbps * 1000 / rate, mpeg1KbpsIndex}, nil
		}
		return mp3Layout{version, i, 1, 72 * mpeg2Kbps * 1000 / rate, mpeg2KbpsIndex}, nil
	}
	return mp3Layout{}, fmt.Errorf("%d Hz is not an MP3 sample rate", rate)
}

// encodeMP3 writes ceil(frames/samples-per-frame) Layer III frames of noise, at
// least two: ffmpeg's demuxer refuses a stream whose first audio frame is not
// followed by another (LAME's encoder delay gives short clips the same floor).
func encodeMP3(rng *rand.Rand, frames, rate, channels int) ([]byte, error) {
	l, err := layoutFor(rate)
	if err != nil {
		return nil, err
	}
	perFrame := l.granules * granuleLines
	n := max(2, (frames+perFrame-1)/perFrame)
	out := make([]byte, 0, (n+1)*l.frameBytes)
	out = appendInfoFrame(out, l, channels, n)
	for range n {
		out = appendMP3Frame(out, rng, l, channels)
	}
	return out, nil
}

// appendInfoFrame appends a silent frame holding an "Info" tag with the number
// of audio frames that follow.
func appendInfoFrame(out []byte, l mp3Layout, channels, frames int) []byte {
	var w bitWriter
	writeHeader(&w, l, channels)
	w.put(0, 8*sideInfoBytes(l, channels)) // all zero: no coded bits, silence
	w.put('I'<<24|'n'<<16|'f'<<8|'o', 32)
	w.put(1, 32) // flags: frame count present
	w.put(uint32(frames), 32)
	frame := w.bytes()
	return append(append(out, frame...), make([]byte, l.frameBytes-len(frame))...)
}

// sideInfoBytes is the Layer III side information size.
func sideInfoBytes(l mp3Layout, channels int) int {
	if l.version == mpeg1 {
		return map[int]int{1: 17, 2: 32}[channels]
	}
	return map[int]int{1: 9, 2: 17}[channels]
}

// writeHeader writes the 4-byte frame header (no CRC, no padding).
func writeHeader(w *bitWriter, l mp3Layout, channels int) {
	mode := 0 // stereo
	if channels == 1 {
		mode = 3
	}
	w.put(0x7FF, 11)
	w.put(uint32(l.version), 2)
	w.put(1, 2) // Layer III
	w.put(1, 1) // no CRC
	w.put(uint32(l.kbpsIndex), 4)
	w.put(uint32(l.rateIndex), 2)
	w.put(0, 1) // padding
	w.put(0, 1) // private
	w.put(uint32(mode), 2)
	w.put(0, 2) // mode extension
	w.put(0, 1) // copyright
	w.put(1, 1) // original
	w.put(0, 2) // emphasis
}

// appendMP3Frame appends one frame: header, side info, main data, zero fill.
func appendMP3Frame(out []byte, rng *rand.Rand, l mp3Layout, channels int) []byte {
	const partBits = granuleLines/4*4 + granuleLines // codewords + one sign bit per line
	var w bitWriter
	writeHeader(&w, l, channels)
	if l.version == mpeg1 {
		w.put(0, 9) // main_data_begin
		w.put(0, map[int]int{1: 5, 2: 3}[channels])
		w.put(0, 4*channels) // scfsi
	} else {
		w.put(0, 8)
		w.put(0, channels)
	}
	for range l.granules * channels {
		w.put(partBits, 12)
		w.put(0, 9) // big_values
		w.put(mp3GlobalGain, 8)
		if l.version == mpeg1 {
			w.put(0, 4) // scalefac_compress: no scalefactor bits
		} else {
			w.put(0, 9)
		}
		w.put(0, 1)  // window_switching_flag: long blocks
		w.put(0, 15) // table_select ×3
		w.put(0, 4)  // region0_count
		w.put(0, 3)  // region1_count
		if l.version == mpeg1 {
			w.put(0, 1) // preflag
		}
		w.put(0, 1) // scalefac_scale
		w.put(1, 1) // count1table_select: table B
	}
	for range l.granules * channels {
		for q := 0; q < granuleLines/4; q++ {
			w.put(0, 4) // table B codeword of |v|=|w|=|x|=|y|=1 is 0000
			w.put(uint32(rng.Intn(16)), 4)
		}
	}
	frame := w.bytes()
	return append(append(out, frame...), make([]byte, l.frameBytes-len(frame))...)
}

// bitWriter packs big-endian bit fields.
type bitWriter struct {
	buf   []byte
	acc   uint64
	nbits uint
}

func (w *bitWriter) put(v uint32, n int) {
	w.acc = w.acc<<uint(n) | uint64(v)&(1<<uint(n)-1)
	w.nbits += uint(n)
	for w.nbits >= 8 {
		w.nbits -= 8
		w.buf = append(w.buf, byte(w.acc>>w.nbits))
	}
}

// bytes flushes a partial byte (zero-filled) and returns the packed bits.
func (w *bitWriter) bytes() []byte {
	if w.nbits > 0 {
		w.buf = append(w.buf, byte(w.acc<<(8-w.nbits)))
		w.nbits = 0
	}
	return w.buf
}
