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

// inputIDsFields lays out AIPerf's SGLangGenerateEndpoint payload
// (src/aiperf/endpoints/sglang_generate.py): --extra-inputs, then the line's
// extra fields, then input_ids (the line's token_ids), sampling_params
// (ignore_eos true, --extra-inputs' sampling_params, max_new_tokens from the
// output length, the line's sampling_params), "stream": true, and priority
// (the line's, else --extra-inputs', else the line's
// nvext.agent_hints.strict_priority). It also returns the prompt's token count.
func inputIDsFields(ts turnSpec, extra []field, streaming bool) ([]jsonField, int, error) {
	switch {
	case !streaming:
		return nil, 0, errors.New("sglang_generate requires streaming: add --streaming")
	case len(ts.tokenIDs) == 0:
		return nil, 0, errors.New("sglang_generate needs each input line's token_ids: a non-empty list of integers")
	}
	sampling := []field{{Key: "ignore_eos", Value: []byte("true")}}
	var priority, hinted json.RawMessage
	var fields []jsonField
	take := func(from []field, source string, line bool) error {
		var rest []field
		for _, f := range from {
			switch f.Key {
			case "sampling_params":
				params, err := objectFields(f.Value)
				if err != nil {
					return errors.New(source + " sampling_params must be a JSON object")
				}
				sampling = withFields(sampling, params)
			case "priority":
				priority = f.Value
			case "nvext":
				if !line { // --extra-inputs' nvext is sent as it is
					rest = append(rest, f)
				} else if p := strictPriority(f.Value); p != nil {
					hinted = p
				}
			default:
				rest = append(rest, f)
			}
		}
		fields = withExtra(fields, rest)
		return nil
	}
	if err := take(extra, "--extra-inputs", false); err != nil {
		return nil, 0, err
	}
	if ts.maxTokens > 0 { // after --extra-inputs' sampling_params, before the line's
		sampling = withFields(sampling, []field{{Key: "max_new_tokens", Value: []byte(strconv.Itoa(ts.maxTokens))}})
	}
	if err := take(ts.extra, "the line's", true); err != nil {
		return nil, 0, err
	}
	if hinted != nil {
		priority = hinted
	}
	ids, _ := json.Marshal(ts.tokenIDs)
	fields = withExtra(fields, []field{
		{Key: "input_ids", Value: ids},
		{Key: "sampling_params", Value: encodeObject(withExtra(nil, sampling)).Bytes()},
		{Key: "stream", Value: []byte("true")},
	})
	if priority != nil && string(priority) != "null" {
		fields = withExtra(fields, []field{{Key: "priority", Value: priority}})
	}
	return fields, len(ts.tokenIDs), nil
}

// withFields sets each of add in fields: in place when present, else appended
// (Python's dict.update).
func withFields(fields, add []field) []field {
	for _, f := range add {
		fields = setField(fields, f)
	}
	return fields
}

// strictPriority is nvext.agent_hints.strict_priority (Mooncake's strict
// priority, which AIPerf moves to SGLang's top-level priority), or nil.
func strictPriority(nvext json.RawMessage) json.RawMessage {
	var v struct {
		AgentHints map[string]json.RawMessage `json:"agent_hints"`
	}
	if json.Unmarshal(nvext, &v) != nil {
		return nil
	}
	return v.AgentHints["strict_priority"]
}
