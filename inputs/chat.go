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

// urlRef is one image or video as sent: its URL (http(s) or a data: URI)
// encoded once as a JSON string, quotes included, so every body that carries
// it shares these bytes.
type urlRef struct {
	JSON []byte
}

func newURLRef(url string) *urlRef {
	var s segmenter
	s.str(url)
	return &urlRef{JSON: s.cur}
}

// message is one chat message before encoding.
type message struct {
	Role    string
	Texts   []string
	Images  []*urlRef
	Audios  []*clipRef
	Videos  []*urlRef
	context bool // a --user-context-prompt-length message, not a turn of its own
	// Passages are a ranking request's texts to rank (its Texts[0] is the
	// query); chat bodies never carry them.
	Passages []string
	// ImageUUIDs are the images' vLLM cache ids, aligned with Images ("" for
	// none); nil when no image has one.
	ImageUUIDs []string
}

// chatRequest is everything a chat body holds; extra fields override ours.
type chatRequest struct {
	Messages []message
	// RawMessages and RawTools, when set, are sent as they are in place of
	// Messages and as "tools" (a captured request replayed: sagemaker_data_capture).
	RawMessages, RawTools json.RawMessage
	Model                 string
	Stream                bool
	MaxTokens             int // 0 = none asked
	LegacyMaxKey          bool
	Extra                 []field
	Bust                  bustPlace // where the cache-bust marker goes (cachebust.go)
	spot                  *BustSpot // set by body when Bust places a marker
}

// segmenter builds a Body: small JSON pieces are packed into one segment, shared
// slices (base64 audio) become their own segments.
type segmenter struct {
	segs Body
	cur  []byte
}

func (s *segmenter) raw(p string) { s.cur = append(s.cur, p...) }

// listSep returns what to call before each item of a JSON list: it writes the
// comma before every item but the first.
func (s *segmenter) listSep() func() {
	n := 0
	return func() {
		if n > 0 {
			s.raw(",")
		}
		n++
	}
}

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

// body encodes the request as newest AIPerf's ChatEndpoint.format_payload
// (src/aiperf/endpoints/openai_chat.py) builds it: messages, model, stream
// (true or false, always), max_completion_tokens (or max_tokens), then the
// extra fields (an extra key replacing ours in place), and last, when the
// final "stream" is true, stream_options with include_usage set unless the
// extras already set it (their other stream_options keys are kept).
func (r *chatRequest) body() Body {
	stream := []byte("false")
	if r.Stream {
		stream = []byte("true")
	}
	fields := []jsonField{
		{key: "messages", write: r.writeMessages},
		{key: "model", write: stringValue(r.Model)},
		{key: "stream", write: rawJSON(stream)},
	}
	if r.RawMessages != nil {
		fields[0].write = rawJSON(r.RawMessages)
	}
	if r.RawTools != nil {
		fields = append(fields, jsonField{key: "tools", write: rawJSON(r.RawTools)})
	}
	if r.MaxTokens > 0 {
		key := "max_completion_tokens"
		if r.LegacyMaxKey {
			key = "max_tokens"
		}
		fields = append(fields, jsonField{key: key, write: rawJSON([]byte(strconv.Itoa(r.MaxTokens)))})
	}
	var extraOptions json.RawMessage // an extra stream_options, if any
extras:
	for _, e := range r.Extra {
		switch e.Key {
		case "stream":
			stream = e.Value
		case "stream_options":
			extraOptions = e.Value
		}
		for i := range fields {
			if fields[i].key == e.Key {
				fields[i].write = rawJSON(e.Value)
				continue extras
			}
		}
		fields = append(fields, jsonField{key: e.Key, write: rawJSON(e.Value)})
	}
	if isJSONTrue(stream) {
		opts := withIncludeUsage(extraOptions)
		if extraOptions == nil {
			fields = append(fields, jsonField{key: "stream_options", write: rawJSON(opts)})
		}
		for i := range fields {
			if fields[i].key == "stream_options" {
				fields[i].write = rawJSON(opts)
			}
		}
	}
	return encodeObject(fields)
}

// isJSONTrue reports whether v is the JSON value true (Python's truthiness
// of the merged "stream" is what AIPerf tests; a true boolean is what counts).
func isJSONTrue(v []byte) bool { return string(bytes.TrimSpace(v)) == "true" }

// withIncludeUsage returns stream_options with include_usage true unless the
// given options set it; options that are not an object are left as they are.
func withIncludeUsage(opts json.RawMessage) []byte {
	if opts == nil {
		return []byte(`{"include_usage":true}`)
	}
	t := bytes.TrimSpace(opts)
	if len(t) < 2 || t[0] != '{' {
		return opts
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(t, &m) != nil {
		return opts
	}
	if _, ok := m["include_usage"]; ok {
		return opts
	}
	inner := bytes.TrimSpace(t[1 : len(t)-1])
	if len(inner) == 0 {
		return []byte(`{"include_usage":true}`)
	}
	out := append([]byte(nil), t[:len(t)-1]...)
	return append(out, `,"include_usage":true}`...)
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
		if i == r.Bust.msg {
			r.spot = m.writeContent(s, r.Bust.mode)
		} else {
			m.writeContent(s, bustNone)
		}
		s.raw("}")
	}
	s.raw("]")
}

// writeContent writes a plain string for one text and no media, else a list of
// text parts, then image_url, input_audio and video_url parts, as AIPerf's
// BaseEndpoint._render_turn_content does: empty texts make no part, and a
// message left with no part at all is an empty string (servers reject
// "content": []). With a cache-bust mode it returns where the marker goes:
// inside a string content, or as a text part of its own in a list (AIPerf's
// worker places it so).
func (m *message) writeContent(s *segmenter, bust string) *BustSpot {
	texts := 0
	for _, t := range m.Texts {
		if t != "" {
			texts++
		}
	}
	if media := len(m.Images) + len(m.Audios) + len(m.Videos); media == 0 && (len(m.Texts) == 1 || texts == 0) {
		text := ""
		if len(m.Texts) == 1 {
			text = m.Texts[0]
		}
		return s.markedString(text, bust)
	}
	s.raw("[")
	var spot *BustSpot
	if bust == bustPrefix {
		spot = s.spot(`{"type":"text","text":"[rid:`, `]\n\n"},`)
	}
	sep := s.listSep()
	writeTextParts(s, sep, "text", m.Texts)
	for i, img := range m.Images {
		sep()
		s.raw(`{"type":"image_url","image_url":{"url":`)
		s.share(img.JSON)
		s.raw("}")
		if m.ImageUUIDs != nil && m.ImageUUIDs[i] != "" {
			s.raw(`,"uuid":`) // vLLM's cache id, as AIPerf's ChatEndpoint sends it
			s.str(m.ImageUUIDs[i])
		}
		s.raw("}")
	}
	for _, a := range m.Audios {
		sep()
		writeAudioPart(s, a)
	}
	for _, v := range m.Videos {
		sep()
		s.raw(`{"type":"video_url","video_url":{"url":`)
		s.share(v.JSON)
		s.raw("}}")
	}
	if bust == bustSuffix {
		spot = s.spot(`,{"type":"text","text":"\n\n[rid:`, `]"}`)
	}
	s.raw("]")
	return spot
}

// writeTextParts writes each non-empty text as a part of the given type (chat's
// "text", Responses' "input_text"), sep called before each.
func writeTextParts(s *segmenter, sep func(), kind string, texts []string) {
	for _, t := range texts {
		if t == "" {
			continue
		}
		sep()
		s.raw(`{"type":"`)
		s.raw(kind)
		s.raw(`","text":`)
		s.str(t)
		s.raw("}")
	}
}

// writeAudioPart writes clip a as an input_audio part, the same in chat and
// Responses bodies; its base64 is the clip's own segment, shared.
func writeAudioPart(s *segmenter, a *clipRef) {
	s.raw(`{"type":"input_audio","input_audio":{"data":"`)
	s.share(a.Base64)
	s.raw(`","format":`)
	s.str(a.Format)
	s.raw("}}")
}
