package hubtest

// Baseten traces are Parquet files too: tests write them from JSONL rows, so
// their fixtures stay readable text in testdata.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// BasetenRow is one row of a baseten trace, with the column names and types of
// AIPerf's BasetenTrace (optional columns are pointers: null when nil).
type BasetenRow struct {
	TimestampStartUnixMs int64   `parquet:"timestamp_start_unix_ms" json:"timestamp_start_unix_ms"`
	Prompt               string  `parquet:"prompt" json:"prompt"`
	InputTokens          int64   `parquet:"input_tokens" json:"input_tokens"`
	OutputTokens         int64   `parquet:"output_tokens" json:"output_tokens"`
	TotalHashes          []int64 `parquet:"total_hashes,list" json:"total_hashes"`
	ProvidedSessionID    *string `parquet:"provided_session_id,optional" json:"provided_session_id"`
	PoorManSessionID     *int64  `parquet:"poor_man_session_id,optional" json:"poor_man_session_id"`
	DurationE2EMs        *int64  `parquet:"duration_e2e_ms,optional" json:"duration_e2e_ms"`
	BlockSize            *int64  `parquet:"block_size,optional" json:"block_size"`
}

// BasetenParquet writes rows as a Parquet file.
func BasetenParquet(t testing.TB, rows []BasetenRow) []byte {
	t.Helper()
	return ParquetOf(t, rows...)
}

// BasetenFile writes the JSONL rows of file src (unknown fields refused) as a
// Parquet file at dst.
func BasetenFile(t testing.TB, src, dst string) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []BasetenRow
	for sc := bufio.NewScanner(f); sc.Scan(); {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var r BasetenRow
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		rows = append(rows, r)
	}
	if err := os.WriteFile(dst, BasetenParquet(t, rows), 0o644); err != nil {
		t.Fatal(err)
	}
}
