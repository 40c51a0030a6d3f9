package inputs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
)

// EndpointTranscription is the --endpoint-type of /v1/audio/transcriptions.
const EndpointTranscription = "audio_transcription"

// ContentTypeMultipart is the media type of transcription bodies; a turn's
// ContentType adds its boundary parameter.
const ContentTypeMultipart = "multipart/form-data"

// formField is one non-file part of a multipart form.
type formField struct{ name, value string }

// transcriptionRequest is everything a transcription form holds.
type transcriptionRequest struct {
	clip   *clipRef
	fields []formField // model, prompt, stream..., then --extra-inputs
}

// newTranscription lays out the form of one turn: model, the turn's text as
// prompt, stream flags, the output limit, then extra fields (an extra key
// replacing ours in place; a JSON string value is sent unquoted).
func (b *builder) newTranscription(ts turnSpec, model string, extra []field) transcriptionRequest {
	r := transcriptionRequest{fields: []formField{{"model", model}}}
	if len(ts.msg.Audios) > 0 {
		r.clip = ts.msg.Audios[0]
	}
	if len(ts.msg.Texts) > 0 {
		r.fields = append(r.fields, formField{"prompt", joinTexts(ts.msg.Texts)})
	}
	if b.o.Streaming {
		r.fields = append(r.fields, formField{"stream", "true"}, formField{"stream_include_usage", "true"})
	}
	if ts.maxTokens > 0 {
		key := "max_completion_tokens"
		if b.o.LegacyMaxTokens {
			key = "max_tokens"
		}
		r.fields = append(r.fields, formField{key, strconv.Itoa(ts.maxTokens)})
	}
extras:
	for _, e := range extra {
		v := string(e.Value)
		var s string
		if json.Unmarshal(e.Value, &s) == nil {
			v = s
		}
		for i := range r.fields {
			if r.fields[i].name == e.Key {
				r.fields[i].value = v
				continue extras
			}
		}
		r.fields = append(r.fields, formField{e.Key, v})
	}
	return r
}

// checkTranscription says why a message cannot be one transcription form:
// it needs exactly one audio clip and takes no images or video.
func checkTranscription(m message) error {
	switch {
	case len(m.Audios) != 1:
		return fmt.Errorf("%s sends exactly one audio clip per request, this one has %d", EndpointTranscription, len(m.Audios))
	case len(m.Images) > 0:
		return fmt.Errorf("%s takes no images", EndpointTranscription)
	case len(m.Videos) > 0:
		return fmt.Errorf("%s takes no video", EndpointTranscription)
	}
	return nil
}

// checkLine checks a file line's turn against the endpoint, so a line that
// cannot be sent is reported with its file and line.
func (b *builder) checkLine(ts turnSpec) error {
	if b.transcription {
		return checkTranscription(ts.msg)
	}
	if plainEndpoint(b.o.EndpointType) {
		return checkPlain(b.o.EndpointType, ts)
	}
	return nil
}

// audioMIME is the part content type and file name extension of a format.
func audioMIME(format string) string {
	if format == "mp3" {
		return "audio/mpeg"
	}
	return "audio/" + format
}

var quoteEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "%0D", "\n", "%0A")

// body encodes the form with boundary: the fields, then the file part whose
// bytes are the clip's own Data, shared by reference.
func (r *transcriptionRequest) body(boundary string) Body {
	var s segmenter
	for _, f := range r.fields {
		s.raw("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quoteEscaper.Replace(f.name) + "\"\r\n\r\n")
		s.raw(f.value)
		s.raw("\r\n")
	}
	if r.clip != nil {
		s.raw("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"audio." + r.clip.Format +
			"\"\r\nContent-Type: " + audioMIME(r.clip.Format) + "\r\n\r\n")
		s.share(r.clip.Data)
		s.raw("\r\n")
	}
	s.raw("--" + boundary + "--\r\n")
	return s.body()
}

// view is the request as inputs.json shows it: a JSON object of the form's
// fields, the file as {"filename", "content_type", "data": base64} (the clip's
// shared base64).
func (r *transcriptionRequest) view() Body {
	var s segmenter
	s.raw("{")
	for i, f := range r.fields {
		if i > 0 {
			s.raw(",")
		}
		s.str(f.name)
		s.raw(":")
		s.str(f.value)
	}
	if r.clip != nil {
		if len(r.fields) > 0 {
			s.raw(",")
		}
		s.raw(`"file":{"filename":`)
		s.str("audio." + r.clip.Format)
		s.raw(`,"content_type":`)
		s.str(audioMIME(r.clip.Format))
		s.raw(`,"data":"`)
		s.share(r.clip.Base64)
		s.raw(`"}`)
	}
	s.raw("}")
	return s.body()
}

// boundaryFor returns a boundary that occurs in none of the request's parts,
// drawing a new one (deterministically from rng) when the current one does.
func boundaryFor(current string, rng *rand.Rand, r *transcriptionRequest) string {
	for current == "" || r.contains(current) {
		current = fmt.Sprintf("aiperf-%016x%016x", rng.Uint64(), rng.Uint64())
	}
	return current
}

func (r *transcriptionRequest) contains(boundary string) bool {
	b := []byte(boundary)
	if r.clip != nil && bytes.Contains(r.clip.Data, b) {
		return true
	}
	for _, f := range r.fields {
		if strings.Contains(f.value, boundary) || strings.Contains(f.name, boundary) {
			return true
		}
	}
	return false
}
