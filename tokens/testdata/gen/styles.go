package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// style is the layout of one model family's tokenizer.json, as the Hugging
// Face files of that family have it (typed from the public files' structure).
type style struct {
	pattern  string // the Split pre-tokenizer regex
	specials []string
	// head holds the sections before "model", with %s for the Split regex.
	head string
	// model fields before vocab and merges.
	model string
	// pairMerges writes merges as ["a", "b"] (tokenizers >= 0.20) instead of "a b".
	pairMerges bool
}

var styles = map[string]style{
	"qwen2": {
		pattern:  `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
		specials: []string{"<|endoftext|>", "<|im_start|>", "<|im_end|>"},
		head: `  "normalizer": {"type": "NFC"},
  "pre_tokenizer": {
    "type": "Sequence",
    "pretokenizers": [
      {"type": "Split", "pattern": {"Regex": %s}, "behavior": "Isolated", "invert": false},
      {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}
    ]
  },
  "post_processor": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false},
  "decoder": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false},`,
		model: `    "type": "BPE",
    "dropout": null,
    "unk_token": null,
    "continuing_subword_prefix": "",
    "end_of_word_suffix": "",
    "fuse_unk": false,
    "byte_fallback": false,
    "ignore_merges": false,`,
		pairMerges: true,
	},
	"llama3": {
		pattern:  `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
		specials: []string{"<|begin_of_text|>", "<|end_of_text|>"},
		head: `  "normalizer": null,
  "pre_tokenizer": {
    "type": "Sequence",
    "pretokenizers": [
      {"type": "Split", "pattern": {"Regex": %s}, "behavior": "Isolated", "invert": false},
      {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}
    ]
  },
  "post_processor": {
    "type": "Sequence",
    "processors": [
      {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
      {
        "type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
        "pair": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
        "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [%d], "tokens": ["<|begin_of_text|>"]}}
      }
    ]
  },
  "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},`,
		model: `    "type": "BPE",
    "dropout": null,
    "unk_token": null,
    "continuing_subword_prefix": null,
    "end_of_word_suffix": null,
    "fuse_unk": false,
    "byte_fallback": false,
    "ignore_merges": true,`,
	},
}

// encodeStyle writes a tokenizer.json in the layout of st: vocab in id order,
// merges in rank order, special tokens after the vocab.
func encodeStyle(order []string, merges [][2]string, st style) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": [")
	for i, sp := range st.specials {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n    {\"id\": %d, \"content\": %q, \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}", len(order)+i, sp)
	}
	b.WriteString("\n  ],\n")
	pat, err := json.Marshal(st.pattern)
	if err != nil {
		return nil, err
	}
	if strings.Count(st.head, "%") == 2 {
		fmt.Fprintf(&b, st.head, pat, len(order))
	} else {
		fmt.Fprintf(&b, st.head, pat)
	}
	b.WriteString("\n  \"model\": {\n" + st.model + "\n    \"vocab\": {")
	if err := writeVocab(&b, order); err != nil {
		return nil, err
	}
	b.WriteString("\n    },\n    \"merges\": [")
	for i, m := range merges {
		var v any = m[0] + " " + m[1]
		if st.pairMerges {
			v = []string{m[0], m[1]}
		}
		j, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n      ")
		b.Write(j)
	}
	b.WriteString("\n    ]\n  }\n}\n")
	return b.Bytes(), nil
}
