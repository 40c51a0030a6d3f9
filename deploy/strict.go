package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"sigs.k8s.io/yaml"
)

// DecodeStrict decodes one YAML document into v; unknown fields are errors.
func DecodeStrict(doc []byte, v any) error {
	j, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return fmt.Errorf("yaml to json: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("decode %T: trailing data after the document", v)
	}
	return nil
}

// DecodeLoose decodes one YAML document into v, ignoring fields v
// does not have; used to read apiVersion and kind before a strict decode.
func DecodeLoose(doc []byte, v any) error {
	if err := yaml.Unmarshal(doc, v); err != nil {
		return fmt.Errorf("decode %T: %w", v, err)
	}
	return nil
}
