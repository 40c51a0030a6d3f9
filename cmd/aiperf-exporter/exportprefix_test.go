package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// --profile-export-prefix (and its alias --profile-export-file) names every
// export as AIPerf does, writes none under the default names, and `report
// DIR` finds the renamed records and rewrites them under the same names.
func TestProfileExportPrefix(t *testing.T) {
	for _, flag := range []string{"--profile-export-prefix", "--profile-export-file"} {
		t.Run(flag, func(t *testing.T) {
			out, dir := profileOK(t, "--mock", "--model", "m", "--streaming", "--request-count", "3",
				"--warmup-request-count", "1", "--output-tokens-mean", "4", "--export-level", "raw", "--slice-duration", "0.5",
				flag, "/elsewhere/run1.jsonl")
			for _, name := range []string{"run1.csv", "run1.json", "run1.jsonl", "run1_raw.jsonl", "run1_timeslices.csv",
				"run1_timeslices.json", "run1_server_metrics.json", "run1_server_metrics.csv", report.InputsFile} {
				if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
					t.Errorf("%s not written: %v", name, err)
				}
			}
			for _, name := range report.DefaultNames().Files() {
				if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
					t.Errorf("%s written despite %s", name, flag)
				}
			}
			if !strings.Contains(out, filepath.Join(dir, "run1.csv")) {
				t.Errorf("the console does not name run1.csv:\n%s", out)
			}
			if n := completeLines(filepath.Join(dir, "run1.jsonl")); n != 3 {
				t.Errorf("run1.jsonl has %d lines, want 3", n)
			}
			os.Remove(filepath.Join(dir, "run1.csv"))
			var rout, rerr bytes.Buffer
			if code := run([]string{"report", dir}, &rout, &rerr); code != 0 {
				t.Fatalf("report: exit %d: %s", code, rerr.String())
			}
			if _, err := os.Stat(filepath.Join(dir, "run1.csv")); err != nil {
				t.Errorf("report did not rewrite run1.csv: %v", err)
			}
			if n := completeLines(filepath.Join(dir, "run1.jsonl")); n != 3 {
				t.Errorf("after report, run1.jsonl has %d lines, want 3", n)
			}
			if _, err := os.Stat(filepath.Join(dir, report.JSONLFile)); err == nil {
				t.Errorf("report wrote %s beside run1.jsonl", report.JSONLFile)
			}
		})
	}
}

// The two flags are one setting in AIPerf: different values are refused.
func TestProfileExportPrefixConflict(t *testing.T) {
	code, _, errOut, _ := profileInDir(t, "--mock", "--request-count", "1", "--profile-export-prefix", "a", "--profile-export-file", "b")
	if code != 2 || !strings.Contains(errOut, "--profile-export-file") {
		t.Errorf("exit %d, stderr %q; want 2 naming --profile-export-file", code, errOut)
	}
}
