package publicdata

import (
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/audio"
	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
)

var (
	row     = hubtest.NewRow
	Parquet = hubtest.Parquet[hubtest.Row]
)

// silence is a WAV of seconds of 8 kHz 8-bit silence.
func silence(t testing.TB, seconds float64) []byte {
	t.Helper()
	wav, err := audio.EncodeWAV(make([]int, int(seconds*8000)), 8000, 8, 1)
	if err != nil {
		t.Fatal(err)
	}
	return wav
}
