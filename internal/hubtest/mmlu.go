package hubtest

import (
	"bytes"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// MMLURow is the shape of lighteval/mmlu's parquet rows on the Hub: the
// choices a list of strings, the answer a class index.
type MMLURow struct {
	Question string   `parquet:"question"`
	Subject  string   `parquet:"subject"`
	Choices  []string `parquet:"choices,list"`
	Answer   int64    `parquet:"answer"`
}

// MMLUParquet writes rows as a parquet file.
func MMLUParquet(t testing.TB, rows ...MMLURow) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[MMLURow](&buf)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
