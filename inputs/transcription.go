package inputs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"slices"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
)

// EndpointTranscription is the --endpoint-type of /v1/audio/transcriptions.
const EndpointTranscription = "audio_transcription"

// ContentTypeMultipart is the media type of transcription bodies; a turn's
// ContentType adds its boundary parameter.
const ContentTypeMultipart = "multipart/form-data"

// formField is one non-file part of a multipart form.
type formField struct{ name, value string }

// formFile is the one file part of a multipart form: its bytes shared by
// reference for the wire, its base64 shared for inputs.json.
type formFile struct {
	field, filename, contentType string
	data, base64                 []byte
	dataKey                      string // the base64's key in inputs.json's view
}

// formRequest is everything a multipart form holds: its fields, and the file
// after the first fileAt of them.
type formRequest struct {
	file   *formFile
	fields []formField
	fileAt int
}

// newTranscription lays out the form of one turn: model, the turn's text as
// prompt, stream flags, the output limit, then extra fields (an extra key
// replacing ours in place; a JSON string value is sent unquoted), then the clip.
func (b *builder) newTranscription(ts turnSpec, model string, extra []field) formRequest {
	r := formRequest{fields: []formField{{"model", model}}}
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
	r.fields = withFormExtra(r.fields, extra, nil)
	r.fileAt = len(r.fields)
	if len(ts.msg.Audios) > 0 {
		c := ts.msg.Audios[0]
		r.file = &formFile{field: "file", filename: "audio." + c.Format, contentType: audioMIME(c.Format),
			data: c.Data, base64: c.Base64, dataKey: "data"}
	}
	return r
}

// withFormExtra applies extra fields to a form as AIPerf's form builder
// does: a key already there takes the new value in place, a new one goes last,
// a JSON string is sent unquoted, a JSON bool lower-case; keys in reserved
// are skipped.
func withFormExtra(fields []formField, extra []field, reserved []string) []formField {
extras:
	for _, e := range extra {
		if slices.Contains(reserved, e.Key) {
			continue
		}
		v := string(e.Value)
		var s string
		if json.Unmarshal(e.Value, &s) == nil {
			v = s
		}
		for i := range fields {
			if fields[i].name == e.Key {
				fields[i].value = v
				continue extras
			}
		}
		fields = append(fields, formField{e.Key, v})
	}
	return fields
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
	if bodyOf(b.o.EndpointType) == endpoint.BodyImageEdit {
		return checkImageEdit(ts)
	}
	if bodyOf(b.o.EndpointType) == endpoint.BodyVideoGeneration {
		return checkVideoGeneration(ts)
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

// body encodes the form with boundary: the fields, with the file part (its
// bytes shared by reference) after the first fileAt of them.
func (r *formRequest) body(boundary string) Body {
	var s segmenter
	for i := 0; i <= len(r.fields); i++ {
		if i == r.fileAt && r.file != nil {
			f := r.file
			s.raw("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.field + "\"; filename=\"" + f.filename +
				"\"\r\nContent-Type: " + f.contentType + "\r\n\r\n")
			s.share(f.data)
			s.raw("\r\n")
		}
		if i < len(r.fields) {
			f := r.fields[i]
			s.raw("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + quoteEscaper.Replace(f.name) + "\"\r\n\r\n")
			s.raw(f.value)
			s.raw("\r\n")
		}
	}
	s.raw("--" + boundary + "--\r\n")
	return s.body()
}

// view is the request as inputs.json shows it: a JSON object of the form's
// fields, the file, in its place, as {"filename", "content_type", dataKey:
// base64} (the shared base64).
func (r *formRequest) view() Body {
	var s segmenter
	s.raw("{")
	sep := ""
	for i := 0; i <= len(r.fields); i++ {
		if i == r.fileAt && r.file != nil {
			f := r.file
			s.raw(sep)
			s.str(f.field)
			s.raw(`:{"filename":`)
			s.str(f.filename)
			s.raw(`,"content_type":`)
			s.str(f.contentType)
			s.raw(",")
			s.str(f.dataKey)
			s.raw(`:"`)
			s.share(f.base64)
			s.raw(`"}`)
			sep = ","
		}
		if i < len(r.fields) {
			s.raw(sep)
			s.str(r.fields[i].name)
			s.raw(":")
			s.str(r.fields[i].value)
			sep = ","
		}
	}
	s.raw("}")
	return s.body()
}

// boundaryFor returns a boundary that occurs in none of the request's parts,
// drawing a new one (deterministically from rng) when the current one does.
func boundaryFor(current string, rng *rand.Rand, r *formRequest) string {
	for current == "" || r.contains(current) {
		current = fmt.Sprintf("aiperf-%016x%016x", rng.Uint64(), rng.Uint64())
	}
	return current
}

func (r *formRequest) contains(boundary string) bool {
	b := []byte(boundary)
	if r.file != nil && bytes.Contains(r.file.data, b) {
		return true
	}
	for _, f := range r.fields {
		if strings.Contains(f.value, boundary) || strings.Contains(f.name, boundary) {
			return true
		}
	}
	return false
}
