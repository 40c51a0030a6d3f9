package inputs

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// clipRef is one audio clip as sent: its base64 text is shared by every body
// that carries the clip.
type clipRef struct {
	Format  string  // "wav" or "mp3"
	Data    []byte  // file bytes (for multipart bodies), shared, never modified
	Base64  []byte  // standard base64 of Data, shared, never modified
	Seconds float64 // duration
	Bytes   int     // decoded (file) bytes
}

// message is one chat message before encoding.
type message struct {
	Role   string
	Texts  []string
	Images []string // image URLs (http(s) or data: URIs)
	Audios []*clipRef
}

// chatRequest is everything a chat body holds; extra fields override ours.
type chatRequest struct {
	Messages     []message
	Model        string
	Stream       bool
	MaxTokens    int // 0 = none asked
	LegacyMaxKey bool
	Extra        []field
}

// segmenter builds a Body: small JSON pieces are packed into one segment, shared
// slices (base64 audio) become their own segments.
type segmenter struct {
	segs Body
	cur  []byte
}

func (s *segmenter) raw(p string) { s.cur = append(s.cur, p...) }

func (s *segmenter) bytes(p []byte) { s.cur = append(s.cur, p...) }

// str writes a JSON string (HTML characters left as they are, like Python's json).
func (s *segmenter) str(v string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // a string always encodes
	s.cur = append(s.cur, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}

// share appends p by reference as its own segment.
func (s *segmenter) share(p []byte) {
	s.flush()
	s.segs = append(s.segs, p)
}

func (s *segmenter) flush() {
	if len(s.cur) > 0 {
		s.segs = append(s.segs, s.cur)
		s.cur = nil
	}
}

func (s *segmenter) body() Body {
	s.flush()
	return s.segs
}

// body encodes the request with AIPerf's fields in AIPerf's order: messages, model, stream,
// stream_options, max_completion_tokens (or max_tokens), then extra fields, an
// extra key replacing ours in place.
func (r *chatRequest) body() Body {
	type top struct {
		key   string
		write func(*segmenter)
	}
	rawValue := func(v []byte) func(*segmenter) { return func(s *segmenter) { s.bytes(v) } }
	fields := []top{
		{"messages", r.writeMessages},
		{"model", func(s *segmenter) { s.str(r.Model) }},
	}
	if r.Stream {
		fields = append(fields,
			top{"stream", rawValue([]byte("true"))},
			top{"stream_options", rawValue([]byte(`{"include_usage":true}`))})
	}
	if r.MaxTokens > 0 {
		key := "max_completion_tokens"
		if r.LegacyMaxKey {
			key = "max_tokens"
		}
		fields = append(fields, top{key, rawValue([]byte(strconv.Itoa(r.MaxTokens)))})
	}
extras:
	for _, e := range r.Extra {
		for i := range fields {
			if fields[i].key == e.Key {
				fields[i].write = rawValue(e.Value)
				continue extras
			}
		}
		fields = append(fields, top{e.Key, rawValue(e.Value)})
	}
	var s segmenter
	s.raw("{")
	for i, f := range fields {
		if i > 0 {
			s.raw(",")
		}
		s.str(f.key)
		s.raw(":")
		f.write(&s)
	}
	s.raw("}")
	return s.body()
}

func (r *chatRequest) writeMessages(s *segmenter) {
	s.raw("[")
	for i, m := range r.Messages {
		if i > 0 {
			s.raw(",")
		}
		s.raw(`{"role":`)
		s.str(m.Role)
		s.raw(`,"content":`)
		m.writeContent(s)
		s.raw("}")
	}
	s.raw("]")
}

// writeContent writes a plain string for one text and no media, else a list of
// text parts, then image_url parts, then input_audio parts.
func (m *message) writeContent(s *segmenter) {
	if len(m.Texts) == 1 && len(m.Images) == 0 && len(m.Audios) == 0 {
		s.str(m.Texts[0])
		return
	}
	s.raw("[")
	n := 0
	sep := func() {
		if n > 0 {
			s.raw(",")
		}
		n++
	}
	for _, t := range m.Texts {
		sep()
		s.raw(`{"type":"text","text":`)
		s.str(t)
		s.raw("}")
	}
	for _, u := range m.Images {
		sep()
		s.raw(`{"type":"image_url","image_url":{"url":`)
		s.str(u)
		s.raw("}}")
	}
	for _, a := range m.Audios {
		sep()
		s.raw(`{"type":"input_audio","input_audio":{"data":"`)
		s.share(a.Base64)
		s.raw(`","format":`)
		s.str(a.Format)
		s.raw("}}")
	}
	s.raw("]")
}
