package inputs

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Cache-bust targets (--cache-bust), as AIPerf names them.
const (
	CacheBustNone            = "none"
	CacheBustSystemPrefix    = "system_prefix"
	CacheBustSystemSuffix    = "system_suffix"
	CacheBustFirstTurnPrefix = "first_turn_prefix"
	CacheBustFirstTurnSuffix = "first_turn_suffix"
)

// Where in a message the marker goes.
const (
	bustNone   = ""
	bustPrefix = "prefix"
	bustSuffix = "suffix"
)

// bustPlace is the message that carries the marker and where in it.
type bustPlace struct {
	msg  int    // index in the request's messages; -1: none
	mode string // bustPrefix or bustSuffix
}

// BustSpot is where a turn's body takes its conversation's cache-bust marker
// `[rid:<12 hex>]` with AIPerf's blank line: inserted as its own segment
// before Body[Seg], Pre and Post being the JSON around the digest.
type BustSpot struct {
	Seg       int
	Pre, Post string
}

// WithMarker returns body with the marker of digest (12 hex characters) at
// spot: one new segment, the others shared.
func (s *BustSpot) WithMarker(body Body, digest string) Body {
	out := make(Body, 0, len(body)+1)
	out = append(out, body[:s.Seg]...)
	out = append(out, []byte(s.Pre+digest+s.Post))
	return append(out, body[s.Seg:]...)
}

// bustPlaceIn is where target puts the marker in msgs, as AIPerf's worker
// does: a system target on the first system message, else (its fallback)
// like a first-turn target on the first user turn (a user context message
// is not a turn).
func bustPlaceIn(target string, msgs []message) bustPlace {
	mode := bustPrefix
	switch target {
	case CacheBustSystemPrefix, CacheBustSystemSuffix:
		if strings.HasSuffix(target, "_suffix") {
			mode = bustSuffix
		}
		for i, m := range msgs {
			if m.Role == "system" {
				return bustPlace{msg: i, mode: mode}
			}
		}
	case CacheBustFirstTurnPrefix, CacheBustFirstTurnSuffix:
		if strings.HasSuffix(target, "_suffix") {
			mode = bustSuffix
		}
	default:
		return bustPlace{msg: -1}
	}
	for i, m := range msgs {
		if m.Role == "user" && !m.context {
			return bustPlace{msg: i, mode: mode}
		}
	}
	return bustPlace{msg: -1}
}

// spot ends the current segment and returns a spot before the next one.
func (s *segmenter) spot(pre, post string) *BustSpot {
	s.flush()
	return &BustSpot{Seg: len(s.segs), Pre: pre, Post: post}
}

// markedString writes text as a JSON string and, with a bust mode, returns
// the spot inside it where the marker goes (its escaped blank line included).
func (s *segmenter) markedString(text, bust string) *BustSpot {
	if bust == bustNone {
		s.str(text)
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(text) // a string always encodes
	q := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if bust == bustPrefix {
		s.raw(`"`)
		spot := s.spot(`[rid:`, `]\n\n`)
		s.bytes(q[1:])
		return spot
	}
	s.bytes(q[:len(q)-1])
	spot := s.spot(`\n\n[rid:`, `]`)
	s.raw(`"`)
	return spot
}
