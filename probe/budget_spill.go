package probe

import (
	"slices"
	"unsafe"
)

// spill is where one buffer continues once it outgrows keepBytes: a mapping
// of anonymous memory as large as the buffer's bound, of which the kernel
// backs only the pages written. Growing into it never copies (an append that
// doubles leaves every smaller copy behind as garbage), it is not on Go's heap
// (whose collector lets the heap reach twice what is live), and its pages go
// back to the kernel the moment the request ends. So the bytes the response
// budget counts are the bytes the process holds in RSS: the hostile soak's
// peak was three times the budget before (docs/reliability.md).
//
// The buffer's capacity is opened a spillStep at a time, so cap() counts what
// may have been written, and the budget (stream.covered) is asked before it.
// Where there is no mapping (not unix, or mmap failed) buffers grow on the
// heap as before.
type spill struct {
	mem []byte // the whole mapping; nil: none yet
}

// spillStep is how much capacity a spilled buffer gains at a time.
const spillStep = 64 << 10

// room returns b with room for n more bytes, its content unchanged: on the
// heap while it stays within keepBytes, else in the spill's mapping of bound
// bytes (callers refuse lines and bodies above their bound before asking).
func (m *spill) room(b []byte, n, bound int) []byte {
	need := len(b) + n
	if need <= cap(b) {
		return b
	}
	if need <= keepBytes || need > bound {
		return slices.Grow(b, n)
	}
	if m.mem == nil {
		if m.mem = mapBuffer(bound); m.mem == nil {
			return slices.Grow(b, n)
		}
	}
	if need > len(m.mem) { // a bound raised since the mapping was made (tests)
		return slices.Grow(b, n)
	}
	if unsafe.SliceData(b) != unsafe.SliceData(m.mem) {
		copy(m.mem, b) // the heap part, once: later b is a prefix of the mapping
	}
	window := min((need+spillStep-1)/spillStep*spillStep, len(m.mem))
	return m.mem[:len(b):window]
}

// free returns the mapping to the kernel. Every slice of it must be dropped
// first (stream.release does).
func (m *spill) free() {
	if m.mem != nil {
		unmapBuffer(m.mem)
		m.mem = nil
	}
}
