package probe

import (
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Which stamp a response gets. An event is stamped when its first line is
// complete in the reader (a server that flushes the closing blank line late
// does not move it), with the kernel's receive stamp of the newest read of
// the request's connection at that moment (httpclient/arrival.go). Every layer
// between the socket and this reader (net/http's buffer and chunked decoding,
// TLS records, the worker's line buffer) reads the connection only when it
// lacks a complete unit, so that newest read is the one that delivered the
// line's last byte:
//   - several events in one read all get that read's stamp;
//   - an event whose first line spans reads gets the stamp of the read that
//     completed the line;
//   - under TLS, the read that completed the TLS record holding the line's end
//     (the bytes cannot be decrypted earlier);
//   - the kernel stamps each packet; a read that takes several gets the
//     newest packet's stamp.
// With no kernel stamp (not Linux, a connection the client did not dial,
// --no-kernel-timestamps, or a stamp older than the request's start) the
// event is stamped in userspace when the line reaches the reader, as before.
// A non-streamed body is stamped the same way once it has been read whole.

// now returns the arrival stamp of the current event, from the kernel when the
// connection has one, else the userspace clock, and records which.
func (s *stream) now() time.Duration {
	if d, ok := s.arrival.Since(s.start); ok {
		s.kernel = true
		return d
	}
	s.kernel = false
	return time.Since(s.start)
}

// respond records a response of the current event.
func (s *stream) respond(stamp time.Duration, kind record.ResponseKind) {
	s.prefill.release() // the first token ends the request's prefill (a no-op after)
	s.responses = append(s.responses, record.Response{Offset: stamp, Kind: kind})
	if !s.kernel {
		s.userStamps++
	}
}

// stampSource is what stamped the request's responses: the kernel only when
// it stamped every one of them; empty when there were none.
func (s *stream) stampSource() record.StampSource {
	switch {
	case len(s.responses) == 0:
		return record.StampNone
	case s.userStamps == 0:
		return record.StampKernel
	}
	return record.StampUserspace
}
