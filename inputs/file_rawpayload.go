package inputs

import (
	"fmt"
	"path/filepath"
)

// TypeRawPayload is --custom-dataset-type raw_payload: JSONL request bodies
// sent verbatim, inferred from a line with "messages".
const TypeRawPayload = "raw_payload"

// rawPayload makes a dataset from a raw_payload file as AIPerf's loader does:
// each line is a request body sent as it is (see payloadTurn), a
// conversation of its own.
func (b *builder) rawPayload(lines []line) (*Dataset, error) {
	d := &Dataset{}
	for _, l := range lines {
		t, err := b.rawTurn(l)
		if err != nil {
			return nil, err
		}
		d.Conversations = append(d.Conversations, Conversation{ID: sessionID(b.rng), Turns: []Turn{t}})
	}
	return d, nil
}

// rawPayloadDir makes a dataset from a directory of raw_payload files: each
// .jsonl file (in name order; empty ones skipped) is one conversation whose
// lines are its turns.
func (b *builder) rawPayloadDir(r *inputReader, dir string) (*Dataset, error) {
	if err := b.noSynthesis(dir, TypeRawPayload); err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("--input-file: %w", err)
	}
	d := &Dataset{}
	for _, p := range files { // Glob sorts
		data, err := r.read(p)
		if err != nil {
			return nil, err
		}
		lines, err := splitLines(p, data)
		if err != nil {
			continue // an empty file, as AIPerf skips it
		}
		c := Conversation{ID: sessionID(b.rng)}
		for _, l := range lines {
			if err := checkKind(l, TypeRawPayload); err != nil {
				return nil, err
			}
			t, err := b.rawTurn(l)
			if err != nil {
				return nil, err
			}
			c.Turns = append(c.Turns, t)
		}
		d.Conversations = append(d.Conversations, c)
	}
	if len(d.Conversations) == 0 {
		return nil, fmt.Errorf("--input-file: directory %s holds no raw_payload .jsonl lines", dir)
	}
	return d, nil
}

// rawTurn is one line's payload as a turn, its error naming the line.
func (b *builder) rawTurn(l line) (Turn, error) {
	if err := b.stopped(); err != nil {
		return Turn{}, err
	}
	t, err := b.payloadTurn(l.data)
	if err != nil {
		return Turn{}, fmt.Errorf("%s:%d: %w", l.file, l.no, err)
	}
	return t, nil
}

// looksRawPayloadDir tells whether dir's first .jsonl line is a raw payload.
func looksRawPayloadDir(dir string) bool {
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	for _, p := range files {
		if first, ok := firstLine(p); ok {
			kind, _ := lineKind(first)
			return kind == TypeRawPayload
		}
	}
	return false
}
