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

// Damaged is data, a parquet file, with one byte flipped where parquet-go
// panics reading it (it does on some damaged files): the fixture of a test
// that such a file is an error naming it, not a crash. The test is skipped
// when no flip makes parquet-go panic: a parquet-go that no longer panics
// there is no regression of ours.
func Damaged(t testing.TB, data []byte) []byte {
	t.Helper()
	for i := len(data) - 9; i >= 4; i-- { // from the footer, where the panics are
		bad := bytes.Clone(data)
		bad[i] ^= 0xff
		if panics(bad) {
			return bad
		}
	}
	t.Skip("no flipped byte makes this parquet-go panic: the damaged-file fixture has nothing to test")
	return nil
}

// panics says whether parquet-go panics opening data or reading its rows.
func panics(data []byte) (panicked bool) {
	defer func() { panicked = recover() != nil }()
	pf, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	r := parquet.NewReader(pf)
	defer r.Close()
	rows := make([]parquet.Row, 16)
	for {
		if _, err := r.ReadRows(rows); err != nil {
			return false
		}
	}
}
