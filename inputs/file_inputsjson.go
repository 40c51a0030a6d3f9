package inputs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// TypeInputsJSON is --custom-dataset-type inputs_json: an inputs.json (AIPerf's
// or ours) replayed verbatim, inferred for a .json file of that shape.
const TypeInputsJSON = "inputs_json"

// inputsFile is inputs.json: {"data": [{"session_id", "payloads": [...]}]}.
type inputsFile struct {
	Data []struct {
		SessionID *string           `json:"session_id"`
		Payloads  []json.RawMessage `json:"payloads"`
	} `json:"data"`
}

// payloadView is what a replayed payload is read for; the body itself is sent
// as it is.
type payloadView struct {
	Model               string `json:"model"`
	Stream              bool   `json:"stream"`
	MaxTokens           *int   `json:"max_tokens"`
	MaxCompletionTokens *int   `json:"max_completion_tokens"`
	MaxOutputTokens     *int   `json:"max_output_tokens"`
	Messages            []struct {
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	Prompt json.RawMessage `json:"prompt"`
	Input  json.RawMessage `json:"input"`
}

// parseInputsJSON reads data, the content of path, as an inputs.json, or says
// why it is not one.
func parseInputsJSON(path string, data []byte) (*inputsFile, error) {
	var f inputsFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s: %s", path, cleanJSONError(err))
	}
	if len(f.Data) == 0 {
		return nil, fmt.Errorf(`%s: no sessions (an inputs.json is {"data": [{"session_id", "payloads": [...]}]})`, path)
	}
	return &f, nil
}

// isJSONFile tells whether path is a regular .json file, whose type (inputs_json,
// weka_trace or JSONL lines) is inferred from its content.
func isJSONFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular() && strings.EqualFold(filepath.Ext(path), ".json")
}

// loadJSONFile makes a dataset from a .json --input-file of the type its
// content is, read and parsed once: an inputs.json, a Weka trace, else lines.
func (b *builder) loadJSONFile(r *inputReader, path string) (*Dataset, error) {
	data, err := r.read(path)
	if err != nil {
		return nil, err
	}
	if f, err := parseInputsJSON(path, data); err == nil && f.Data[0].Payloads != nil {
		return b.inputsJSON(path, f)
	}
	if strings.HasSuffix(path, ".json") { // as sniffWeka: a Weka trace ends in .json exactly
		if tr, err := parseWeka(path, data); err == nil {
			return b.weka(path, r, tr)
		}
	}
	return b.loadBytes(r, path, filepath.Dir(path), data, "")
}

// readInputsJSON reads and parses the inputs.json at path.
func readInputsJSON(r *inputReader, path string) (*inputsFile, error) {
	data, err := r.read(path)
	if err != nil {
		return nil, err
	}
	return parseInputsJSON(path, data)
}

// inputsJSON makes a dataset from an inputs.json as AIPerf's inputs_json
// loader does: each session one conversation, each payload one turn sent as
// it is (compacted; no endpoint formatting, history or cache-bust marker
// added), in order, without delays. Its model and max tokens are read from
// the payload, its ISL counted over every text it carries. f is path's
// content, already parsed.
func (b *builder) inputsJSON(path string, f *inputsFile) (*Dataset, error) {
	if b.transcription {
		return nil, &options.Error{Flag: "endpoint-type", Msg: fmt.Sprintf("%s sends multipart forms, and inputs_json replays JSON bodies", EndpointTranscription)}
	}
	if err := b.noSynthesis(path, TypeInputsJSON); err != nil {
		return nil, err
	}
	d := &Dataset{}
	for i, s := range f.Data {
		if s.SessionID == nil || len(s.Payloads) == 0 {
			return nil, fmt.Errorf("%s: session %d: want a session_id and at least one payload", path, i+1)
		}
		c := Conversation{ID: *s.SessionID}
		for k, p := range s.Payloads {
			if err := b.stopped(); err != nil {
				return nil, err
			}
			t, err := b.payloadTurn(p)
			if err != nil {
				return nil, fmt.Errorf("%s: session %s payload %d: %w", path, c.ID, k+1, err)
			}
			c.Turns = append(c.Turns, t)
		}
		d.Conversations = append(d.Conversations, c)
	}
	return d, nil
}

// payloadTurn is one verbatim payload as a turn.
func (b *builder) payloadTurn(p json.RawMessage) (Turn, error) {
	var v payloadView
	if err := json.Unmarshal(p, &v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return Turn{}, errors.New("not a JSON object")
		}
		return Turn{}, errors.New(cleanJSONError(err))
	}
	if v.Stream != b.o.Streaming {
		return Turn{}, &options.Error{Flag: "streaming", Msg: fmt.Sprintf("the payload has \"stream\": %v; replay it with the same setting", v.Stream)}
	}
	var body bytes.Buffer
	if err := json.Compact(&body, p); err != nil {
		return Turn{}, errors.New(cleanJSONError(err))
	}
	t := Turn{Body: Body{body.Bytes()}, ContentType: ContentTypeJSON, Model: v.Model}
	if t.Model == "" {
		t.Model = b.model()
	}
	for _, n := range []*int{v.MaxTokens, v.MaxCompletionTokens, v.MaxOutputTokens} {
		if n != nil {
			t.MaxTokens = *n
		}
	}
	var texts []string
	for _, m := range v.Messages {
		texts = appendTexts(texts, m.Content)
	}
	texts = appendTexts(appendTexts(texts, v.Prompt), v.Input)
	if len(texts) > 0 {
		t.InputTokens = b.counter.Count(strings.Join(texts, " "))
	}
	return t, nil
}

// appendTexts adds the text a content value carries: a string, a list of
// strings, or parts whose "text" is set.
func appendTexts(texts []string, raw json.RawMessage) []string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return append(texts, s)
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		return texts
	}
	for _, item := range list {
		var part struct {
			Text    *string         `json:"text"`
			Content json.RawMessage `json:"content"`
		}
		switch {
		case json.Unmarshal(item, &s) == nil:
			texts = append(texts, s)
		case json.Unmarshal(item, &part) == nil && part.Text != nil:
			texts = append(texts, *part.Text)
		case part.Content != nil:
			texts = appendTexts(texts, part.Content) // a responses input message
		}
	}
	return texts
}
