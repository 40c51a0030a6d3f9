package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// Ctrl-C while the dataset is built (10,000 clips of 30 s: minutes of work)
// stops profile at once with one line; nothing is sent or written. The bound is
// generous (10 s after the interrupt) for a loaded machine.
func TestProfileInterruptedWhileBuilding(t *testing.T) {
	base := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	var out, errb bytes.Buffer
	code := profile(ctx, []string{"--mock", "--model", "m", "--audio-length-mean", "30", "--num-dataset-entries", "10000",
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

// Ctrl-C while inputs.json is written stops the writing at once.
func TestWriteInputsStopsWhenCancelled(t *testing.T) {
	r, err := parseProfile([]string{"--model", "m", "--synthetic-input-tokens-mean", "50", "--num-dataset-entries", "20000"}, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := inputs.Build(&r.o, tokens.Words{}, rand.New(rand.NewSource(1)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := writeInputs(ctx, dir, ds); !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if err := writeInputs(context.Background(), dir, ds); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(filepath.Join(dir, report.InputsFile)); err != nil || st.Size() < 20000*50 {
		t.Fatalf("inputs.json %v (%v), want the whole dataset", st, err)
	}
}
