package hubtest

import "testing"

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

// Parquet writes rows as a parquet file.
func Parquet(t testing.TB, rows ...Row) []byte {
	t.Helper()
	return ParquetOf(t, rows...)
}
