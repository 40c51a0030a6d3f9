package inputs

import "encoding/json"

// jsonField is one top-level key of a plain JSON body and how its value is
// written; raw holds the value itself when it came from --extra-inputs.
type jsonField struct {
	key   string
	write func(*segmenter)
	raw   json.RawMessage
}

// rawJSON writes v as it is (a JSON value).
func rawJSON(v []byte) func(*segmenter) { return func(s *segmenter) { s.bytes(v) } }

// stringValue writes v as a JSON string.
func stringValue(v string) func(*segmenter) { return func(s *segmenter) { s.str(v) } }

// stringList writes vs as a JSON list of strings.
func stringList(vs []string) func(*segmenter) {
	return func(s *segmenter) {
		s.raw("[")
		for i, v := range vs {
			if i > 0 {
				s.raw(",")
			}
			s.str(v)
		}
		s.raw("]")
	}
}

// withExtra applies the --extra-inputs fields as Python's dict.update does:
// a key already present keeps its place and takes the new value, a new key
// goes last.
func withExtra(fields []jsonField, extra []field) []jsonField {
next:
	for _, e := range extra {
		for i := range fields {
			if fields[i].key == e.Key {
				fields[i].write, fields[i].raw = rawJSON(e.Value), e.Value
				continue next
			}
		}
		fields = append(fields, jsonField{key: e.Key, write: rawJSON(e.Value), raw: e.Value})
	}
	return fields
}

// encodeObject writes the fields as one JSON object, in order.
func encodeObject(fields []jsonField) Body {
	var s segmenter
	s.raw("{")
	for i, f := range fields {
		if i > 0 {
			s.raw(",")
		}
		s.str(f.key)
		s.raw(":")
		f.write(&s)
	}
	s.raw("}")
	return s.body()
}
