package profile

import (
	"context"
	"errors"
	"flag"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// Ctrl-C while inputs.json is written stops the writing at once.
func TestWriteInputsStopsWhenCancelled(t *testing.T) {
	var o options.Options
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if _, err := options.Parse(fs, []string{"--model", "m", "--synthetic-input-tokens-mean", "50", "--num-dataset-entries", "20000"}, &o); err != nil {
		t.Fatal(err)
	}
	ds, err := inputs.Build(&o, tokens.Words{}, rand.New(rand.NewSource(1)))
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
