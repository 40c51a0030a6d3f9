package inputs

import (
	"fmt"
	"time"
)

// maxTraceSpan is the README's 100-year rule applied to a trace: a replay
// waits from its first timestamp to its last, and time.Duration and Unix
// nanoseconds overflow soon after a century.
const maxTraceSpan = 100 * 365 * 24 * time.Hour

// stampSpan follows the earliest and latest timestamps the loaders read, and
// where each was read, so a trace that spans more than maxTraceSpan is refused
// naming its two lines. Loaders feed it: b.turn the turns with a timestamp and
// a turnSpec.from, sagemaker_data_capture its records, weka_trace its requests.
type stampSpan struct {
	seen       bool
	lo, hi     float64      // ms
	loAt, hiAt fmt.Stringer // where each was read: file:line
}

// at is a where that is already text (file:line).
type at string

func (a at) String() string { return string(a) }

// wekaAt is where a weka trace's request was read, made text only for an
// error: the trace's requests are many.
type wekaAt struct {
	id string
	t  float64
}

func (w wekaAt) String() string {
	return fmt.Sprintf("weka trace %s (its request at t=%g s)", clipped(w.id), w.t)
}

// add takes the timestamp ms read at where.
func (s *stampSpan) add(ms float64, where fmt.Stringer) error {
	if !s.seen {
		*s = stampSpan{seen: true, lo: ms, hi: ms, loAt: where, hiAt: where}
		return nil
	}
	if ms < s.lo {
		s.lo, s.loAt = ms, where
	}
	if ms > s.hi {
		s.hi, s.hiAt = ms, where
	}
	if s.hi-s.lo <= float64(maxTraceSpan/time.Millisecond) {
		return nil
	}
	other := s.loAt
	if where == s.loAt {
		other = s.hiAt
	}
	return fmt.Errorf("%s: timestamp %g ms is more than 100 years from %s's, which a replay would wait out", where, ms, other)
}

// where names the line for stampSpan.
func (l line) where() string { return fmt.Sprintf("%s:%d", l.file, l.no) }
