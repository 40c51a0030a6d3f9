package inputs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Dataset types of --custom-dataset-type.
const (
	TypeSingleTurn = "single_turn"
	TypeMultiTurn  = "multi_turn"
	TypeRandomPool = "random_pool"
	TypeMooncake   = "mooncake_trace"
)

// lineTurn is one single_turn (or random_pool) line, or one turn of a
// multi_turn line.
type lineTurn struct {
	Text         *string         `json:"text"`
	Texts        []item          `json:"texts"`
	Image        *string         `json:"image"`
	Images       []item          `json:"images"`
	Audio        *string         `json:"audio"`
	Audios       []item          `json:"audios"`
	Video        *string         `json:"video"`
	Videos       []item          `json:"videos"`
	Timestamp    *float64        `json:"timestamp"` // ms
	Delay        *float64        `json:"delay"`     // ms
	Role         string          `json:"role"`
	OutputLength *int            `json:"output_length"`
	Extra        json.RawMessage `json:"extra"`
	// ReferenceText is what the line's audio says (ours): the answer's word
	// error rate is computed against it.
	ReferenceText *string `json:"reference_text"`
	// ImageUUIDs are vLLM cache ids aligned with string-form images (AIPerf's
	// single_turn image_uuids); without images, each is a cache-only reference.
	ImageUUIDs []string `json:"image_uuids"`
	// SessionID groups single_turn lines into one conversation, each line
	// sent on its own in file order (AIPerf's single_turn session_id).
	SessionID string `json:"session_id"`
	// TokenIDs is a pre-tokenized prompt (AIPerf's Turn.token_ids), sent by
	// sglang_generate as its input_ids.
	TokenIDs []int `json:"token_ids"`
}

// multiTurnLine is one multi_turn line.
type multiTurnLine struct {
	SessionID string     `json:"session_id"`
	Turns     []lineTurn `json:"turns"`
}

// mooncakeLine is one mooncake_trace line.
type mooncakeLine struct {
	InputLength  *int     `json:"input_length"`
	HashIDs      []int    `json:"hash_ids"`
	TextInput    *string  `json:"text_input"`
	OutputLength *int     `json:"output_length"`
	Timestamp    *float64 `json:"timestamp"`
	Delay        *float64 `json:"delay"`
	SessionID    string   `json:"session_id"`
}

// item is an entry of texts/images/audios: a string, or {"name", "contents"}
// (an image's also "uuids", aligned with its contents, as AIPerf's Image).
type item struct {
	Name     string   `json:"name"`
	Contents []string `json:"contents"`
	UUIDs    []string `json:"uuids"`
	plain    bool     // given as a plain string
}

// UnmarshalJSON accepts a plain string as an item with one content.
func (it *item) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		*it = item{Contents: []string{s}, plain: true}
		return nil
	}
	type plain item
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p plain
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("want a string or {\"name\", \"contents\"}: %s", cleanJSONError(err))
	}
	*it = item(p)
	return nil
}

// decodeLine decodes line l into v as strict does, naming the line in its
// error; it stops first if building was stopped.
func (b *builder) decodeLine(l line, v any) error {
	if err := b.stopped(); err != nil {
		return err
	}
	if err := strict(l.data, v); err != nil {
		return l.errorf("%v", err)
	}
	return nil
}

// strict decodes one JSON object into v, refusing unknown fields and trailing data.
func strict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errors.New(cleanJSONError(err))
	}
	if dec.More() {
		return errors.New("trailing data after the JSON object")
	}
	if _, err := dec.Token(); err == nil {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

// cleanJSONError drops the "json: " prefix and Go type names users never see.
func cleanJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		kind := jsonKind(te.Type.String())
		if strings.HasPrefix(te.Value, "number") && te.Type.Kind() >= reflect.Int && te.Type.Kind() <= reflect.Int64 {
			// A fraction or a number past the field's bits (1e20): not "not a number".
			kind = fmt.Sprintf("whole number within ±2^%d", te.Type.Bits()-1)
		}
		if te.Field != "" {
			return fmt.Sprintf("field %s: %s is not a %s", quoted(te.Field), clipped(te.Value), kind)
		}
		return fmt.Sprintf("%s is not a %s", clipped(te.Value), kind)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return "bad JSON: " + se.Error()
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if k, ok := strings.CutPrefix(msg, "unknown field "); ok { // the key is the user's, at any length
		if key, err := strconv.Unquote(k); err == nil {
			return "unknown field " + quoted(key)
		}
	}
	return clipped(msg)
}

func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "list"
	case strings.Contains(goType, "string"):
		return "string"
	case strings.Contains(goType, "int"), strings.Contains(goType, "float"):
		return "number"
	case strings.Contains(goType, "lineTurn"), strings.Contains(goType, "Line"), strings.Contains(goType, "map"):
		return "JSON object"
	}
	return goType
}

// lineKind guesses the dataset type of one line from its keys.
func lineKind(data []byte) (string, error) {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return "", errors.New("a line must be a JSON object")
		}
		return "", errors.New(cleanJSONError(err))
	}
	switch {
	case keys["turns"] != nil:
		return TypeMultiTurn, nil
	case keys["chat_id"] != nil:
		return TypeBailian, nil
	case keys["input_length"] != nil || keys["hash_ids"] != nil || keys["text_input"] != nil:
		return TypeMooncake, nil
	case keys["messages"] != nil:
		return TypeRawPayload, nil
	}
	return TypeSingleTurn, nil
}
