package inputs

import (
	"context"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// Building stops soon after its context ends: Ctrl-C while 1,000 clips of
// 30 s are synthesized (minutes of work) returns within a second, not minutes.
// The bound is generous (10 s) for a loaded machine; one clip takes ~10 ms.
func TestBuildStopsWhenCancelled(t *testing.T) {
	large := opts(t, "-m", "m", "--audio-length-mean", "30", "--num-dataset-entries", "1000")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	d, err := BuildContext(ctx, large, tokens.Words{}, rand.New(rand.NewSource(1)))
	if !errors.Is(err, context.Canceled) || d != nil {
		t.Fatalf("error %v (dataset %v), want context.Canceled", err, d != nil)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("stopped %v after the start (cancelled at 300 ms)", took)
	}

	// Every source stops: input files of many lines, with a context already ended.
	ended, end := context.WithCancel(context.Background())
	end()
	lines := map[string]string{
		TypeSingleTurn: `{"text": "hello there"}`,
		TypeMultiTurn:  `{"turns": [{"text": "hello"}, {"text": "there"}]}`,
		TypeRandomPool: `{"text": "hello there"}`,
		TypeMooncake:   `{"input_length": 8, "hash_ids": [1]}`,
	}
	for kind, line := range lines {
		path := filepath.Join(t.TempDir(), kind+".jsonl")
		if err := os.WriteFile(path, []byte(strings.Repeat(line+"\n", 1000)), 0o600); err != nil {
			t.Fatal(err)
		}
		o := opts(t, "-m", "m", "--input-file", path, "--custom-dataset-type", kind)
		if _, err := BuildContext(ended, o, tokens.Words{}, rand.New(rand.NewSource(1))); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: error %v, want context.Canceled", kind, err)
		}
		// And an unended context still builds it.
		if _, err := BuildContext(context.Background(), o, tokens.Words{}, rand.New(rand.NewSource(1))); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
	}
}
