package main

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/hubtest"
	"github.com/aiperf-exporter/aiperf-exporter/speech"
)

// TestProfilePublicDatasetFromFakeHub is the acceptance run:
// `profile --public-dataset librispeech` against a fake Hub (HF_ENDPOINT)
// serving a parquet file the test wrote, holding clips of the embedded speech
// set with their transcripts, so the mock answers them with its configured
// word error rate. The rate shows in every export.
func TestProfilePublicDatasetFromFakeHub(t *testing.T) {
	var rows []hubtest.Row
	for _, c := range speech.Clips()[:6] {
		rows = append(rows, hubtest.NewRow(c.MP3, strings.ToUpper(c.Transcript)))
	}
	hubtest.Use(t, map[string][]byte{
		"datasets/openslr/librispeech_asr/clean/test/0000.parquet": hubtest.Parquet(t, rows...),
	})
	for _, tc := range []struct {
		rate    float64
		zero    bool
		endType string
	}{{0, true, "chat"}, {0.5, false, "chat"}, {0.5, false, "audio_transcription"}} {
		stdout, dir := profileOK(t, "--mock", "--model", "m", "--public-dataset", "librispeech",
			"--endpoint-type", tc.endType, "--request-count", "6", "--mock.word-error-rate", strconv.FormatFloat(tc.rate, 'g', -1, 64))
		if !strings.Contains(stdout, "Word Error Rate") {
			t.Errorf("rate %g: console has no Word Error Rate row:\n%s", tc.rate, stdout)
		}
		run := dir
		avg := stat(t, readJSON(t, filepath.Join(run, "profile_export_aiperf.json")), "word_error_rate", "avg")
		if (avg == 0) != tc.zero || avg > tc.rate {
			t.Errorf("rate %g (%s): JSON word_error_rate avg %g", tc.rate, tc.endType, avg)
		}
		csv, err := os.ReadFile(filepath.Join(run, "profile_export_aiperf.csv"))
		if err != nil || !strings.Contains(string(csv), "Word Error Rate (ratio),") {
			t.Errorf("CSV has no Word Error Rate row (%v)", err)
		}
		f, err := os.Open(filepath.Join(run, "profile_export.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for sc := bufio.NewScanner(f); sc.Scan(); n++ {
			if !strings.Contains(sc.Text(), `"word_error_rate":{"value":`) {
				t.Errorf("JSONL record without word_error_rate: %.300s", sc.Text())
			}
		}
		f.Close()
		if n != 6 {
			t.Errorf("%d JSONL records, want 6", n)
		}
	}
}
