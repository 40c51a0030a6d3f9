package inputs

import "strconv"

// responsesFields lays out AIPerf's ResponsesEndpoint payload: input (the
// conversation's messages as Responses items), model, stream, then
// max_output_tokens when a length is asked; the caller adds the extras and
// the usage option.
func (b *builder) responsesFields(ts turnSpec, model string) []jsonField {
	msgs := append(append([]message(nil), ts.history...), ts.msg)
	fields := []jsonField{
		{key: "input", write: func(s *segmenter) { writeResponsesInput(s, msgs) }},
		{key: "model", write: stringValue(model)},
		{key: "stream", write: rawJSON(boolJSON(b.o.Streaming))},
	}
	if ts.maxTokens > 0 {
		fields = append(fields, jsonField{key: "max_output_tokens", write: rawJSON([]byte(strconv.Itoa(ts.maxTokens)))})
	}
	return fields
}

// writeResponsesInput writes each message as {"role", "content", "type":
// "message"}: the content as chat renders it, with the Responses API's part
// names (input_text; input_image with the URL as a plain string; input_audio
// as chat's).
func writeResponsesInput(s *segmenter, msgs []message) {
	writeRoleItems(s, msgs, writeResponsesContent, `,"type":"message"}`)
}

// writeRoleItems writes msgs as a list of {"role", "content"...} objects, the
// content written by content, each object closed by end.
func writeRoleItems(s *segmenter, msgs []message, content func(*segmenter, message), end string) {
	s.raw("[")
	for i, m := range msgs {
		if i > 0 {
			s.raw(",")
		}
		s.raw(`{"role":`)
		s.str(m.Role)
		s.raw(`,"content":`)
		content(s, m)
		s.raw(end)
	}
	s.raw("]")
}

// writeResponsesContent is message.writeContent with the Responses part names.
func writeResponsesContent(s *segmenter, m message) {
	texts := nonEmpty(m.Texts)
	if len(m.Texts) == 1 && len(m.Images) == 0 && len(m.Audios) == 0 {
		s.str(m.Texts[0])
		return
	}
	if len(texts) == 0 && len(m.Images) == 0 && len(m.Audios) == 0 {
		s.raw(`""`)
		return
	}
	s.raw("[")
	sep := s.listSep()
	writeTextParts(s, sep, "input_text", texts)
	for _, u := range m.Images {
		sep()
		s.raw(`{"type":"input_image","image_url":`)
		s.share(u.JSON)
		s.raw("}")
	}
	for _, a := range m.Audios {
		sep()
		writeAudioPart(s, a)
	}
	s.raw("]")
}
