package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"
)

// Ctrl-C while the dataset is built (1,000 clips of 30 s: seconds of work)
// stops profile at once with one line; nothing is sent or written. The bound is
// generous (10 s after the interrupt) for a loaded machine.
func TestProfileInterruptedWhileBuilding(t *testing.T) {
	base := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	var out, errb bytes.Buffer
	code := profile(ctx, []string{"--mock", "--model", "m", "--audio-length-mean", "30", "--num-dataset-entries", "1000",
		"--artifact-dir", base}, &out, &errb)
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("profile returned %v after the start (interrupted at 300 ms)", took)
	}
	msg := strings.TrimSpace(errb.String())
	if code != 1 || !strings.Contains(msg, "interrupted while building the dataset") || strings.Contains(msg, "\n") {
		t.Errorf("exit %d, stderr %q; want 1 and one line saying it was interrupted", code, msg)
	}
	if left, _ := os.ReadDir(base); len(left) != 0 {
		t.Errorf("the artifact directory holds %d entries, want none", len(left))
	}
}
