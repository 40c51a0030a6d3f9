package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// --export-level decides which per-request files are written, as in AIPerf:
// summary none, records profile_export.jsonl, raw also profile_export_raw.jsonl
// (warmup included). The CSV and JSON are written at every level, and the
// finished run's JSON is no longer marked partial.
func TestProfileExportLevels(t *testing.T) {
	cases := []struct {
		level      string
		jsonl, raw bool
	}{
		{"summary", false, false},
		{"records", true, false},
		{"raw", true, true},
	}
	for _, c := range cases {
		t.Run(c.level, func(t *testing.T) {
			_, dir := profileOK(t, "--mock", "--model", "m", "--streaming", "--request-count", "3",
				"--warmup-request-count", "2", "--output-tokens-mean", "4", "--export-level", c.level)
			for name, want := range map[string]bool{report.CSVFile: true, report.JSONFile: true, report.InputsFile: true,
				report.JSONLFile: c.jsonl, report.RawJSONLFile: c.raw} {
				if _, err := os.Stat(filepath.Join(dir, name)); (err == nil) != want {
					t.Errorf("%s written: %v, want %v", name, err == nil, want)
				}
			}
			if c.jsonl {
				if n := completeLines(filepath.Join(dir, report.JSONLFile)); n != 3 {
					t.Errorf("%s has %d lines, want 3", report.JSONLFile, n)
				}
			}
			if c.raw {
				if n := completeLines(filepath.Join(dir, report.RawJSONLFile)); n != 5 {
					t.Errorf("%s has %d lines, want 5 (warmup included)", report.RawJSONLFile, n)
				}
			}
			if j := string(testkit.ReadFile(t, filepath.Join(dir, report.JSONFile))); strings.Contains(j, `"partial"`) {
				t.Errorf("a finished run's JSON is marked partial")
			}
		})
	}
}
