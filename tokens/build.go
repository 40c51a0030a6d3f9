package tokens

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sugarme/tokenizer"
	"github.com/sugarme/tokenizer/pretrained"
)

// hfFile is the part of a tokenizer.json that changes token ids.
//
// Left out on purpose: post_processor (it only adds special tokens, which
// AIPerf's count excludes, and adjusts offsets), truncation and padding
// (transformers turns both off for a plain encode, so AIPerf counts the whole
// text).
type hfFile struct {
	AddedTokens  json.RawMessage `json:"added_tokens"`
	Normalizer   json.RawMessage `json:"normalizer"`
	PreTokenizer json.RawMessage `json:"pre_tokenizer"`
	Decoder      map[string]any  `json:"decoder"`
	Model        json.RawMessage `json:"model"`
}

// build makes the tokenizer of a tokenizer.json. The BPE model and the
// Split/ByteLevel pre-tokenizers are ours (bpe.go, pretok.go), so are the
// Unicode normalizers (unorm.go); other normalizers and pre-tokenizers, the
// decoder and other model types come from sugarme.
//
// For a BPE model it also returns the encoder (encoder.go): Count and Encode
// take it, with added tokens found as Hugging Face does (added.go). The
// sugarme tokenizer decodes, and encodes other models.
func build(raw []byte) (*tokenizer.Tokenizer, *encoder, error) {
	var f hfFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, nil, fmt.Errorf("corrupt tokenizer.json: %w", err)
	}
	if isNull(f.Model) {
		return nil, nil, errors.New("corrupt tokenizer.json: no model in tokenizer.json")
	}
	var added []addedToken
	if !isNull(f.AddedTokens) {
		if err := json.Unmarshal(f.AddedTokens, &added); err != nil {
			return nil, nil, fmt.Errorf("corrupt tokenizer.json: added_tokens: %w", err)
		}
	}
	var configs []tokenizer.TokenConfig
	if !isNull(f.AddedTokens) {
		if err := json.Unmarshal(f.AddedTokens, &configs); err != nil {
			return nil, nil, fmt.Errorf("corrupt tokenizer.json: added_tokens: %w", err)
		}
	}
	model, err := buildModel(f.Model, f.Decoder)
	if err != nil {
		return nil, nil, err
	}
	tk := tokenizer.NewTokenizer(model)
	n, err := buildNormalizer(f.Normalizer, "normalizer")
	if err != nil {
		return nil, nil, err
	}
	if n != nil {
		tk.WithNormalizer(n)
	}
	pre, err := buildPreTokenizer(f.PreTokenizer, "pre_tokenizer")
	if err != nil {
		return nil, nil, err
	}
	tk.WithPreTokenizer(pre)
	d, err := pretrained.CreateDecoder(f.Decoder)
	if err != nil {
		return nil, nil, fmt.Errorf("decoder: %w", err)
	}
	tk.WithDecoder(d)
	special, other := pretrained.CreateAddedTokens(configs)
	if len(special) > 0 {
		tk.AddSpecialTokens(special)
	}
	if len(other) > 0 {
		tk.AddTokens(other)
	}
	b, ok := model.(*bpe)
	if !ok {
		return tk, nil, nil
	}
	enc, err := newEncoder(b, n, pre, added)
	if err != nil {
		return nil, nil, fmt.Errorf("added_tokens: %w", err)
	}
	return tk, enc, nil
}

// buildModel builds a BPE model ourselves and any other type with sugarme.
func buildModel(raw json.RawMessage, decoder map[string]any) (tokenizer.Model, error) {
	var head map[string]json.RawMessage
	if err := json.Unmarshal(raw, &head); err != nil {
		return nil, fmt.Errorf("corrupt tokenizer.json: model: %w", err)
	}
	var typ string
	if t, ok := head["type"]; ok {
		if err := json.Unmarshal(t, &typ); err != nil {
			return nil, fmt.Errorf("corrupt tokenizer.json: model.type: %w", err)
		}
	} else if _, ok := head["merges"]; ok {
		typ = "BPE" // older files name no type; merges mean BPE
	}
	if typ == "BPE" {
		return newBPE(raw)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("corrupt tokenizer.json: model: %w", err)
	}
	model, err := pretrained.CreateModel(&tokenizer.Config{Model: m, Decoder: decoder})
	if err != nil {
		return nil, fmt.Errorf("corrupt tokenizer.json: model: %w", err)
	}
	return model, nil
}
