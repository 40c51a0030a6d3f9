package hubtest

import (
	"bytes"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// Row is the shape of an ASR dataset's parquet rows on the Hub: the audio as a
// struct of bytes and path, and the transcript.
type Row struct {
	Audio struct {
		Bytes []byte `parquet:"bytes"`
		Path  string `parquet:"path"`
	} `parquet:"audio"`
	Text string `parquet:"text"`
	ID   string `parquet:"id"`
}

// NewRow is a row of audio bytes and their transcript.
func NewRow(data []byte, text string) Row {
	var r Row
	r.Audio.Bytes, r.Text, r.ID = data, text, text
	return r
}

// Parquet writes rows (any struct with parquet tags: Row, MMLURow,
// BasetenRow) as a parquet file.
func Parquet[T any](t testing.TB, rows ...T) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[T](&buf)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
