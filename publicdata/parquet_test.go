package publicdata

import (
	"bytes"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
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

// Parquet writes rows as a parquet file, as the tests' fake Hub serves it.
func Parquet(t testing.TB, rows ...Row) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[Row](&buf)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func row(data []byte, text string) Row {
	var r Row
	r.Audio.Bytes, r.Text, r.ID = data, text, text
	return r
}

// silence is a WAV of seconds of 8 kHz 8-bit silence.
func silence(t testing.TB, seconds float64) []byte {
	t.Helper()
	wav, err := audio.EncodeWAV(make([]int, int(seconds*8000)), 8000, 8, 1)
	if err != nil {
		t.Fatal(err)
	}
	return wav
}
