package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	goaudio "github.com/go-audio/audio"
	"github.com/go-audio/wav"
)

// wavPCM is the WAVE format tag of integer PCM.
const wavPCM = 1

// encodeWAV writes interleaved signed samples as a PCM WAV file. 8-bit WAV is
// unsigned (PCM_U8), as newer AIPerf writes it.
func encodeWAV(samples []int, rate, depth, channels int) ([]byte, error) {
	if depth == 8 {
		for i, v := range samples {
			samples[i] = v + 128
		}
	}
	var f memFile
	enc := wav.NewEncoder(&f, rate, depth, channels, wavPCM)
	buf := &goaudio.IntBuffer{
		Format:         &goaudio.Format{NumChannels: channels, SampleRate: rate},
		Data:           samples,
		SourceBitDepth: depth,
	}
	if err := enc.Write(buf); err != nil {
		return nil, fmt.Errorf("write wav samples: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("close wav: %w", err)
	}
	data := f.buf
	if len(data)%2 == 1 {
		// RIFF chunks are word aligned: pad the odd data chunk and count the pad
		// byte in the RIFF size (the data chunk size stays the true length).
		data = append(data, 0)
		binary.LittleEndian.PutUint32(data[4:8], uint32(len(data)-8))
	}
	return data, nil
}

// memFile is an in-memory io.WriteSeeker for the WAV encoder, which seeks back
// to patch sizes.
type memFile struct {
	buf []byte
	pos int
}

func (m *memFile) Write(p []byte) (int, error) {
	if end := m.pos + len(p); end > len(m.buf) {
		m.buf = append(m.buf, make([]byte, end-len(m.buf))...)
	}
	copy(m.buf[m.pos:], p)
	m.pos += len(p)
	return len(p), nil
}

func (m *memFile) Seek(offset int64, whence int) (int64, error) {
	var base int64
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		base = int64(m.pos)
	case io.SeekEnd:
		base = int64(len(m.buf))
	default:
		return 0, fmt.Errorf("seek: bad whence %d", whence)
	}
	if base+offset < 0 {
		return 0, errors.New("seek: negative position")
	}
	m.pos = int(base + offset)
	return int64(m.pos), nil
}
