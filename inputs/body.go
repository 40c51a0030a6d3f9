package inputs

import "io"

// Body is a request body as shared segments: the base64 audio segment is the
// clip's own Base64 slice, referenced, never copied or re-encoded per request.
// A Body is immutable once built and safe for concurrent readers.
type Body [][]byte

// Len is the body's length in bytes (the request's Content-Length).
func (b Body) Len() int {
	n := 0
	for _, s := range b {
		n += len(s)
	}
	return n
}

// Reader returns a fresh reader over the segments. It copies nothing up front
// (one small allocation) and implements io.WriterTo, so io.Copy and net/http
// write each segment straight to the connection.
func (b Body) Reader() io.Reader { return &bodyReader{segs: b} }

// WriteTo writes every segment to w in order.
func (b Body) WriteTo(w io.Writer) (int64, error) {
	var n int64
	for _, s := range b {
		m, err := w.Write(s)
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// Bytes returns the body in one new slice (for tests, logs and inputs.json
// writers that need contiguous bytes; the send path uses Reader).
func (b Body) Bytes() []byte {
	out := make([]byte, 0, b.Len())
	for _, s := range b {
		out = append(out, s...)
	}
	return out
}

// bodyReader reads a Body segment by segment without copying it.
type bodyReader struct {
	segs Body
	off  int // read offset in segs[0]
}

func (r *bodyReader) Read(p []byte) (int, error) {
	n := 0
	for len(r.segs) > 0 && n < len(p) {
		c := copy(p[n:], r.segs[0][r.off:])
		n += c
		r.off += c
		if r.off == len(r.segs[0]) {
			r.segs, r.off = r.segs[1:], 0
		}
	}
	if n == 0 && len(r.segs) == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return n, nil
}

// WriteTo writes what is left to w, segment by segment.
func (r *bodyReader) WriteTo(w io.Writer) (int64, error) {
	var n int64
	for len(r.segs) > 0 {
		m, err := w.Write(r.segs[0][r.off:])
		n += int64(m)
		r.off += m
		if err != nil {
			return n, err
		}
		r.segs, r.off = r.segs[1:], 0
	}
	return n, nil
}
