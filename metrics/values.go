package metrics

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"math"
	"os"
)

// values is an append-only list of float64 read back in blocks: in memory,
// or in a scratch file so that a run's inter-chunk latencies (one per
// response) never sit in memory.
type values interface {
	add(v float64)
	len() int
	// read fills buf with the values from off on.
	read(buf []float64, off int) error
	close() error
}

// memValues keeps the values in memory.
type memValues struct{ c Chunks[float64] }

func (m *memValues) add(v float64) { m.c.Add(v) }
func (m *memValues) len() int      { return m.c.Len() }
func (m *memValues) close() error  { return nil }
func (m *memValues) read(buf []float64, off int) error {
	for i := range buf {
		buf[i] = m.c.At(off + i)
	}
	return nil
}

// fileValues keeps the values in a scratch file, 8 bytes each. The file is
// unlinked as soon as it is created: nothing is left behind, even by a kill.
type fileValues struct {
	f   *os.File
	w   *bufio.Writer
	n   int
	err error
	b   [8]byte
}

func newFileValues(dir string) (*fileValues, error) {
	f, err := os.CreateTemp(dir, ".aiperf-exporter-values-*")
	if err != nil {
		return nil, fmt.Errorf("scratch file for inter-chunk latencies: %w", err)
	}
	os.Remove(f.Name()) // open files outlive their name (Unix); elsewhere it stays until close
	return &fileValues{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

func (v *fileValues) add(x float64) {
	binary.LittleEndian.PutUint64(v.b[:], math.Float64bits(x))
	if _, err := v.w.Write(v.b[:]); err != nil && v.err == nil {
		v.err = err
	}
	v.n++
}

func (v *fileValues) len() int { return v.n }

func (v *fileValues) read(buf []float64, off int) error {
	if v.err == nil {
		v.err = v.w.Flush()
	}
	if v.err != nil {
		return fmt.Errorf("scratch file for inter-chunk latencies: %w", v.err)
	}
	raw := make([]byte, 8*len(buf))
	if _, err := v.f.ReadAt(raw, 8*int64(off)); err != nil {
		return fmt.Errorf("scratch file for inter-chunk latencies: %w", err)
	}
	for i := range buf {
		buf[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
	}
	return nil
}

func (v *fileValues) close() error {
	name := v.f.Name()
	err := v.f.Close()
	os.Remove(name) // where the early unlink could not be done
	return err
}
