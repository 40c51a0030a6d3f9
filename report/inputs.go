package report

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
)

// InputsEntry is one dataset conversation of inputs.json: its session and
// the exact request body sent for each turn.
type InputsEntry struct {
	SessionID string
	Payloads  []Payload
}

// Payload is one request body. WriteInputs asks for its bytes only when it
// writes it, so a dataset of spliced audio bodies (inputs.Body) never has more
// than one contiguous copy alive.
type Payload interface{ Bytes() []byte }

// RawPayload is a body already in one slice.
type RawPayload []byte

// Bytes returns p itself.
func (p RawPayload) Bytes() []byte { return p }

// WriteInputs streams inputs.json, {"data": [{"session_id", "payloads": [...]}]},
// indented by two spaces like AIPerf. Bodies are written one at a time, never
// gathered into one string (they carry base64 audio). It stops with ctx's
// error when ctx ends (Ctrl-C while a large dataset is written).
func WriteInputs(ctx context.Context, w io.Writer, entries []InputsEntry) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	var buf bytes.Buffer
	bw.WriteString("{\n  \"data\": [")
	for i, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		if i > 0 {
			bw.WriteString(",")
		}
		sid, err := marshal(e.SessionID)
		if err != nil {
			return err
		}
		bw.WriteString("\n    {\n      \"session_id\": ")
		bw.Write(sid)
		bw.WriteString(",\n      \"payloads\": [")
		for k, p := range e.Payloads {
			if k > 0 {
				bw.WriteString(",")
			}
			bw.WriteString("\n        ")
			buf.Reset()
			if err := json.Indent(&buf, p.Bytes(), "        ", "  "); err != nil {
				return fmt.Errorf("inputs.json: session %s payload %d: %w", e.SessionID, k, err)
			}
			bw.Write(buf.Bytes())
		}
		if len(e.Payloads) > 0 {
			bw.WriteString("\n      ")
		}
		bw.WriteString("]\n    }")
	}
	if len(entries) > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}")
	return bw.Flush()
}
