package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/plot"
)

// A plot that cannot be written (the plots directory is a dangling symlink,
// which MkdirAll will not follow, even for root) is a warning, as in AIPerf, unless --plot-required: then exit 1.
func TestProfilePlotRequired(t *testing.T) {
	for _, required := range []bool{false, true} {
		base := t.TempDir()
		if err := os.Symlink(filepath.Join(base, "missing", "dir"), filepath.Join(base, plot.Dir)); err != nil {
			t.Fatal(err)
		}
		args := []string{"--mock", "--model", "m", "--streaming", "--request-count", "2", "--osl", "2", "--plot", "--artifact-dir", base}
		want := 0
		if required {
			args, want = append(args, "--plot-required"), 1
		}
		var stdout, stderr bytes.Buffer
		code := profile(context.Background(), args, &stdout, &stderr)
		if code != want {
			t.Errorf("--plot-required %v: exit %d, want %d (%s)", required, code, want, stderr.String())
		}
		if !required && !strings.Contains(stdout.String(), "Warning: plots not written") {
			t.Errorf("no warning that the plots were not written:\n%s", stdout.String())
		}
	}
}
