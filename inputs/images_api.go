package inputs

// imageGenerationFields lays out AIPerf's ImageGenerationEndpoint payload
// (src/aiperf/endpoints/openai_image_generation.py): the turn's first text as
// prompt, model, base64 images (SGLang answers no other way), one image, and
// stream only when streaming; --extra-inputs then update it.
func (b *builder) imageGenerationFields(texts []string, model string) []jsonField {
	prompt := ""
	if len(texts) > 0 {
		prompt = texts[0]
	}
	fields := []jsonField{
		{key: "prompt", write: stringValue(prompt)},
		{key: "model", write: stringValue(model)},
		{key: "response_format", write: stringValue("b64_json")},
		{key: "n", write: rawJSON([]byte("1"))},
	}
	if b.o.Streaming {
		fields = append(fields, jsonField{key: "stream", write: rawJSON([]byte("true"))})
	}
	return fields
}
