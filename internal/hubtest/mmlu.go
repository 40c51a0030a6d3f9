package hubtest

import "testing"

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
	return ParquetOf(t, rows...)
}
