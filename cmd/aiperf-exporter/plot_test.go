package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/plot"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// copyRun copies the records (and JSON export, if any) of plot/testdata/name
// into a temporary directory, so that the plots never land in the repository.
func copyRun(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{report.JSONLFile, report.JSONFile} {
		b, err := os.ReadFile(filepath.Join("..", "..", "plot", "testdata", name, f))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// checkPNGs fails unless every listed path is a PNG that decodes.
func checkPNGs(t *testing.T, paths []string) {
	t.Helper()
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		_, err = png.Decode(f)
		f.Close()
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

func TestPlotCommand(t *testing.T) {
	one, c4, c8 := copyRun(t, "mock-concurrency1"), copyRun(t, "c4"), copyRun(t, "c8")
	out := filepath.Join(t.TempDir(), "compare")
	cases := []struct {
		name    string
		args    []string
		code    int
		files   []string // expected stdout lines
		errText string
	}{
		{"no directory", nil, 2, nil, "give at least one artifact directory"},
		{"several without --output", []string{one, c4}, 2, nil, "--output is required"},
		{"not an artifact directory", []string{t.TempDir()}, 1, nil, report.JSONLFile},
		{"one run", []string{c4}, 0, []string{
			filepath.Join(c4, "plots", plot.TTFTOverTimeFile), filepath.Join(c4, "plots", plot.LatencyOverTimeFile),
			filepath.Join(c4, "plots", plot.TTFTDistributionFile), filepath.Join(c4, "plots", plot.ITLDistributionFile),
			filepath.Join(c4, "plots", plot.TTFTVsAudioFile)}, ""},
		{"three runs", []string{"--output", out, one, c4, c8}, 0, nil, ""},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"plot"}, c.args...), &stdout, &stderr)
		if code != c.code || !strings.Contains(stderr.String(), c.errText) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", c.name, code, stderr.String(), c.code, c.errText)
			continue
		}
		lines := strings.Fields(stdout.String())
		if c.files != nil && strings.Join(lines, "\n") != strings.Join(c.files, "\n") {
			t.Errorf("%s: wrote\n%s\nwant\n%s", c.name, stdout.String(), strings.Join(c.files, "\n"))
		}
		if c.name == "three runs" {
			if len(lines) != 3*5+2 || lines[15] != filepath.Join(out, plot.LatencyVsConcurrencyFile) ||
				lines[16] != filepath.Join(out, plot.ThroughputVsPerUserFile) {
				t.Errorf("three runs wrote:\n%s", stdout.String())
			}
		}
		checkPNGs(t, lines)
	}
}

// `profile --plot` leaves the charts beside the report.
func TestProfilePlotFlag(t *testing.T) {
	base := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := profile(context.Background(), []string{"--mock", "--model", "m", "--streaming", "--audio-length-mean", "1",
		"--request-count", "12", "--concurrency", "3", "--isl", "20", "--osl", "6", "--plot", "--artifact-dir", base}, &stdout, &stderr)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got, err := filepath.Glob(filepath.Join(base, plot.Dir, "*.png"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("plots written: %v, want 5", got)
	}
	checkPNGs(t, got)
}
