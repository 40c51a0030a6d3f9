package inputs

import (
	"encoding/json"
	"strconv"
	"strings"
)

// messagesMaxTokens is AIPerf's max_tokens for a Messages API turn that asks
// no output length: the API refuses a request without one.
const messagesMaxTokens = 1024

// messagesFields lays out AIPerf's MessagesEndpoint payload
// (src/aiperf/endpoints/anthropic_messages.py): model, messages (the
// conversation but its system prompt), max_tokens, "stream": true only when
// streaming (a non-streamed request has no stream key), then the system prompt
// as the top-level system; the caller adds the extras.
func messagesFields(ts turnSpec, model string, streaming bool) []jsonField {
	var system []string
	var msgs []message
	for _, m := range append(append([]message(nil), ts.history...), ts.msg) {
		if m.Role == "system" {
			system = append(system, nonEmpty(m.Texts)...)
			continue
		}
		msgs = append(msgs, m)
	}
	maxTokens := ts.maxTokens
	if maxTokens <= 0 {
		maxTokens = messagesMaxTokens
	}
	fields := []jsonField{
		{key: "model", write: stringValue(model)},
		{key: "messages", write: func(s *segmenter) { writeRoleItems(s, msgs, writeMessagesContent, "}") }},
		{key: "max_tokens", write: rawJSON([]byte(strconv.Itoa(maxTokens)))},
	}
	if streaming {
		fields = append(fields, jsonField{key: "stream", write: rawJSON([]byte("true"))})
	}
	if len(system) > 0 {
		fields = append(fields, jsonField{key: "system", write: stringValue(strings.Join(system, "\n"))})
	}
	return fields
}

// writeMessagesContent is message.writeContent with Anthropic's image block
// (one text alone is a string, else text parts then image blocks):
// {"type": "image", "source": base64 data with its media type, or a URL}.
func writeMessagesContent(s *segmenter, m message) {
	texts := nonEmpty(m.Texts)
	if len(m.Images) == 0 && (len(m.Texts) == 1 || len(texts) == 0) {
		s.str(strings.Join(texts, ""))
		return
	}
	s.raw("[")
	for i, t := range texts {
		if i > 0 {
			s.raw(",")
		}
		s.raw(`{"type":"text","text":`)
		s.str(t)
		s.raw("}")
	}
	for i, u := range m.Images {
		if i > 0 || len(texts) > 0 {
			s.raw(",")
		}
		writeImageBlock(s, u)
	}
	s.raw("]")
}

// writeImageBlock writes one image as AIPerf's _render_image_part does: a data
// URI as a base64 source with its media type (image/png when it names none),
// anything else as a url source.
func writeImageBlock(s *segmenter, u *urlRef) {
	var url string
	_ = json.Unmarshal(u.JSON, &url) // built by newURLRef: always a JSON string
	header, data, isData := strings.Cut(url, ",")
	if !strings.HasPrefix(url, "data:") || !isData {
		s.raw(`{"type":"image","source":{"type":"url","url":`)
		s.share(u.JSON)
		s.raw("}}")
		return
	}
	mediaType, _, _ := strings.Cut(strings.TrimPrefix(header, "data:"), ";")
	if mediaType == "" {
		mediaType = "image/png"
	}
	s.raw(`{"type":"image","source":{"type":"base64","media_type":`)
	s.str(mediaType)
	s.raw(`,"data":`)
	s.str(data)
	s.raw("}}")
}
