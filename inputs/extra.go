package inputs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// field is one top-level key of a request body with its JSON value.
type field struct {
	Key   string
	Value json.RawMessage
}

// parseExtraInputs turns --extra-inputs entries into ordered fields. An entry is
// `key:value` (value coerced to a number, true/false or null when it parses as
// one, a JSON array or object when it is one, else a string) or a JSON object.
// A later entry overrides an earlier one with the same key.
func parseExtraInputs(entries []string) ([]field, error) {
	var out []field
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if strings.HasPrefix(e, "{") {
			fs, err := objectFields([]byte(e))
			if err != nil {
				return nil, &options.Error{Flag: "extra-inputs", Msg: fmt.Sprintf("%s is not a JSON object: %v", quoted(e), err)}
			}
			for _, f := range fs {
				out = setField(out, f)
			}
			continue
		}
		k, v, ok := strings.Cut(e, ":")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, &options.Error{Flag: "extra-inputs", Msg: fmt.Sprintf("%s is not 'key:value' or a JSON object", quoted(e))}
		}
		out = setField(out, field{Key: strings.TrimSpace(k), Value: coerce(strings.TrimSpace(v))})
	}
	return out, nil
}

// coerce renders a `key:value` value as JSON.
func coerce(v string) json.RawMessage {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return json.RawMessage(strconv.FormatInt(n, 10))
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && !strings.ContainsAny(v, "xXnN") {
		return json.RawMessage(strconv.FormatFloat(f, 'g', -1, 64))
	}
	switch strings.ToLower(v) {
	case "true", "false", "null":
		return json.RawMessage(strings.ToLower(v))
	}
	if (strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[")) && json.Valid([]byte(v)) {
		return compact(v)
	}
	b, _ := json.Marshal(v) // a string always marshals
	return b
}

func compact(v string) json.RawMessage {
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(v)); err != nil {
		return json.RawMessage(v)
	}
	return buf.Bytes()
}

// objectFields returns the keys of a JSON object in document order.
func objectFields(data []byte) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("want an object")
	}
	var out []field
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = setField(out, field{Key: tok.(string), Value: compact(string(v))})
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if dec.More() || dec.InputOffset() != int64(len(bytes.TrimRight(data, " \t\r\n"))) {
		return nil, fmt.Errorf("trailing data after the object")
	}
	return out, nil
}

// setField replaces the value of f.Key in place, or appends f.
func setField(fs []field, f field) []field {
	for i := range fs {
		if fs[i].Key == f.Key {
			fs[i].Value = f.Value
			return fs
		}
	}
	return append(fs, f)
}
