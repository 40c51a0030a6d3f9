package inputs

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
)

// EndpointCompletions is the --endpoint-type of /v1/completions.
const EndpointCompletions = "completions"

// bodyOf is the kind of body endpointType takes, from the endpoint table
// (0 for a type it does not list).
func bodyOf(endpointType string) endpoint.Body {
	t, _ := endpoint.Lookup(endpointType)
	return t.Body
}

// builds reports whether bodies of endpointType are built here: chat's ("" is
// chat), transcription's or plainBody's.
func builds(endpointType string) bool {
	switch bodyOf(endpointType) {
	case endpoint.BodyChat, endpoint.BodyTranscription, endpoint.BodyImageEdit, endpoint.BodyVideoGeneration:
		return true
	}
	return endpointType == "" || plainEndpoint(endpointType)
}

// plainEndpoint reports whether the endpoint's bodies are built by plainBody:
// plain JSON objects from a turn's texts alone (no history, no media), as
// newest AIPerf's endpoint classes build them (src/aiperf/endpoints/*.py).
func plainEndpoint(endpointType string) bool {
	switch bodyOf(endpointType) {
	case endpoint.BodyCompletions, endpoint.BodyEmbeddings, endpoint.BodyTGI, endpoint.BodyResponses, endpoint.BodyMessages, endpoint.BodySolido, endpoint.BodyTokenIDs, endpoint.BodyInputIDs,
		endpoint.BodyImageGeneration, endpoint.BodyNIMEmbeddings, endpoint.BodyCohereEmbed, endpoint.BodyImageRetrieval:
		return true
	}
	return rankingsEndpoint(endpointType)
}

// checkPlain says why a turn cannot be sent to a text-only endpoint: AIPerf
// refuses more than one turn per request there, and its payloads carry no media.
func checkPlain(endpointType string, ts turnSpec) error {
	switch {
	case len(ts.msg.Videos) > 0: // no AIPerf payload but chat's carries video
		return fmt.Errorf("%s sends no video, this turn has %d video(s)", endpointType, len(ts.msg.Videos))
	case bodyOf(endpointType) == endpoint.BodyMessages && len(ts.msg.Audios) > 0: // AIPerf raises
		return fmt.Errorf("%s sends no audio (the Messages API takes none), this turn has %d audio clip(s)", endpointType, len(ts.msg.Audios))
	case bodyOf(endpointType) == endpoint.BodyResponses, bodyOf(endpointType) == endpoint.BodyMessages: // conversations and images, as chat
	case len(ts.history) > 0:
		return fmt.Errorf("%s sends one turn per request, not a conversation's history (use single_turn lines)", endpointType)
	case len(ts.msg.Audios) > 0:
		return fmt.Errorf("%s sends text only, this turn has %d audio clip(s)", endpointType, len(ts.msg.Audios))
	case bodyOf(endpointType) == endpoint.BodyImageRetrieval: // its texts are not sent
		if len(ts.msg.Images) == 0 {
			return fmt.Errorf("%s sends images only, this turn has none (give --image-batch-size or an input file's images)", endpointType)
		}
	case len(ts.msg.Images) > 0 && embedsImages(bodyOf(endpointType)):
		return pairTexts(nonEmpty(ts.msg.Texts), ts.msg.Images)
	case len(ts.msg.Images) > 0:
		return fmt.Errorf("%s sends text only, this turn has %d image(s)", endpointType, len(ts.msg.Images))
	case bodyOf(endpointType) == endpoint.BodyImageGeneration && len(nonEmpty(ts.msg.Texts)) == 0:
		return fmt.Errorf("%s needs a text prompt, this turn has none", endpointType)
	}
	return nil
}

// plainBody encodes a turn for a plain endpoint; ok is false for the others.
func (b *builder) plainBody(ts turnSpec, model string, extra []field) (body Body, ok bool) {
	if !plainEndpoint(b.o.EndpointType) {
		return nil, false
	}
	if err := checkPlain(b.o.EndpointType, ts); err != nil && b.err == nil {
		b.err = fmt.Errorf("--endpoint-type %s: request %d of the dataset: %w", b.o.EndpointType, b.turns, err)
	}
	kind := bodyOf(b.o.EndpointType)
	if kind == endpoint.BodyResponses {
		return encodeObject(b.withUsage(withExtra(b.responsesFields(ts, model), extra))), true
	}
	if kind == endpoint.BodyTokenIDs || kind == endpoint.BodyInputIDs { // token-in prompts
		build := func() ([]jsonField, int, error) { return tokenIDsFields(ts, model, b.extra) }
		if kind == endpoint.BodyInputIDs {
			build = func() ([]jsonField, int, error) { return inputIDsFields(ts, b.extra, b.o.Streaming) }
		}
		fields, n, err := build()
		if err != nil && b.err == nil {
			b.err = fmt.Errorf("--endpoint-type %s: request %d of the dataset: %w", b.o.EndpointType, b.turns, err)
		}
		b.promptIDs = n
		return encodeObject(fields), true
	}
	if kind == endpoint.BodyMessages {
		return encodeObject(withExtra(messagesFields(ts, model, b.o.Streaming), extra)), true
	}
	texts := nonEmpty(ts.msg.Texts)
	if kind == endpoint.BodyImageGeneration {
		return encodeObject(withExtra(b.imageGenerationFields(texts, model), extra)), true
	}
	if kind == endpoint.BodyTGI {
		return encodeObject(withExtra(tgiFields(texts, ts.maxTokens, b.extra), ts.extra)), true
	}
	var fields []jsonField
	switch kind {
	case endpoint.BodyCompletions:
		fields = b.completionsFields(texts, model, ts.maxTokens)
	case endpoint.BodyEmbeddings:
		// AIPerf's EmbeddingsEndpoint: model, input; no output length.
		fields = []jsonField{{key: "model", write: stringValue(model)}, {key: "input", write: stringList(texts)}}
	case endpoint.BodyNIMEmbeddings:
		fields = []jsonField{{key: "model", write: stringValue(model)}, {key: "input", write: nimInputs(texts, ts.msg.Images)}}
	case endpoint.BodyCohereEmbed:
		fields = cohereEmbedFields(model, texts, ts.msg.Images)
	case endpoint.BodyImageRetrieval:
		fields = []jsonField{{key: "input", write: imageInputs(ts.msg.Images)}}
	case endpoint.BodySolido:
		// AIPerf's SolidoEndpoint: query (the texts), its default filters and
		// inference_model; --extra-inputs only (an input line's own fields are
		// not sent), no stream, no output length.
		fields = []jsonField{{key: "query", write: stringList(texts)},
			{key: "filters", write: rawJSON([]byte(`{"family":"Solido","tool":"SDE"}`))},
			{key: "inference_model", write: stringValue(model)}}
		extra = b.extra
	default: // rankings: the first text is the query
		query := ""
		if len(texts) > 0 {
			query = texts[0]
		}
		fields = rankingsFields(kind, model, query, ts.msg.Passages)
	}
	fields = withExtra(fields, extra)
	if kind == endpoint.BodyCompletions {
		fields = b.withUsage(fields)
	}
	return encodeObject(fields), true
}

// completionsFields lays out AIPerf's CompletionsEndpoint payload: prompt (a
// list of the turn's texts), model, stream, then max_tokens when a length is
// asked (the completions API knows no max_completion_tokens).
func (b *builder) completionsFields(texts []string, model string, maxTokens int) []jsonField {
	fields := []jsonField{
		{key: "prompt", write: stringList(texts)},
		{key: "model", write: stringValue(model)},
		{key: "stream", write: rawJSON(boolJSON(b.o.Streaming))},
	}
	if maxTokens > 0 {
		fields = append(fields, jsonField{key: "max_tokens", write: rawJSON([]byte(strconv.Itoa(maxTokens)))})
	}
	return fields
}

// withUsage adds stream_options.include_usage after the extra fields when
// streaming with --use-server-token-count, as AIPerf does for completions and
// responses (unlike chat, only then): an extra stream_options object keeps its keys.
func (b *builder) withUsage(fields []jsonField) []jsonField {
	if !b.o.Streaming || !b.o.ServerTokenCount {
		return fields
	}
	for i := range fields {
		if fields[i].key == "stream_options" {
			fields[i].write = rawJSON(withIncludeUsage(fields[i].raw))
			return fields
		}
	}
	return append(fields, jsonField{key: "stream_options", write: rawJSON(withIncludeUsage(nil))})
}

// tgiFields lays out AIPerf's HuggingFaceGenerateEndpoint payload: the texts
// joined by spaces as inputs, and parameters holding max_new_tokens (when a
// length is asked) updated by --extra-inputs; an input line's own extra
// fields go at the top level, after them.
func tgiFields(texts []string, maxTokens int, extra []field) []jsonField {
	var params []jsonField
	if maxTokens > 0 {
		params = append(params, jsonField{key: "max_new_tokens", write: rawJSON([]byte(strconv.Itoa(maxTokens)))})
	}
	params = withExtra(params, extra)
	return []jsonField{
		{key: "inputs", write: stringValue(strings.Join(texts, " "))},
		{key: "parameters", write: func(s *segmenter) { s.bytes(encodeObject(params).Bytes()) }},
	}
}

// nonEmpty drops empty texts, as AIPerf's payloads keep only texts with content.
func nonEmpty(texts []string) []string {
	out := make([]string, 0, len(texts))
	for _, t := range texts {
		if t != "" {
			out = append(out, t)
		}
	}
	return out
}

func boolJSON(v bool) []byte {
	if v {
		return []byte("true")
	}
	return []byte("false")
}
