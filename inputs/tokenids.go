package inputs

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
)

// tokenIDsFields lays out AIPerf's VllmGenerateEndpoint payload
// (src/aiperf/endpoints/vllm_generate.py): model, token_ids and
// sampling_params taken from the line's extra (max_tokens set from the turn's
// output length unless the line gives one), "stream": false, then
// --extra-inputs, then the line's other extra fields. It also returns how
// many token ids the prompt has (its input tokens, counted without a tokenizer).
func tokenIDsFields(ts turnSpec, model string, extra []field) ([]jsonField, int, error) {
	var ids, params json.RawMessage
	var rest []field
	for _, f := range ts.extra {
		switch f.Key {
		case "token_ids":
			ids = f.Value
		case "sampling_params":
			params = f.Value
		default:
			rest = append(rest, f)
		}
	}
	n, ok := countInts(ids)
	if !ok || n == 0 {
		return nil, 0, errors.New("vllm_generate needs the line's extra.token_ids: a non-empty list of integers")
	}
	var sampling []field
	if len(params) > 0 && string(params) != "null" {
		var err error
		if sampling, err = objectFields(params); err != nil {
			return nil, 0, errors.New("extra.sampling_params must be a JSON object")
		}
	}
	if ts.maxTokens > 0 && !hasField(sampling, "max_tokens") { // AIPerf's setdefault
		sampling = append(sampling, field{Key: "max_tokens", Value: []byte(strconv.Itoa(ts.maxTokens))})
	}
	fields := []jsonField{
		{key: "model", write: stringValue(model)},
		{key: "token_ids", write: rawJSON(ids)},
		{key: "sampling_params", write: func(s *segmenter) { s.bytes(encodeObject(withExtra(nil, sampling)).Bytes()) }},
		{key: "stream", write: rawJSON([]byte("false")), raw: []byte("false")},
	}
	fields = withExtra(withExtra(fields, extra), rest)
	for _, f := range fields {
		if f.key == "stream" && string(bytes.TrimSpace(f.raw)) != "false" {
			return nil, 0, errors.New("vllm_generate does not stream: stream must stay false")
		}
	}
	return fields, n, nil
}

// countInts counts the integers of a JSON list; ok is false for anything
// else (a list holding a non-integer, or not a list).
func countInts(v json.RawMessage) (n int, ok bool) {
	var ids []json.RawMessage
	if json.Unmarshal(v, &ids) != nil {
		return 0, false
	}
	for _, id := range ids {
		if _, err := strconv.ParseInt(string(bytes.TrimSpace(id)), 10, 64); err != nil {
			return 0, false
		}
	}
	return len(ids), true
}

func hasField(fields []field, key string) bool {
	for _, f := range fields {
		if f.Key == key {
			return true
		}
	}
	return false
}
