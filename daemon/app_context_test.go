package daemon

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.uber.org/zap"
)

// SIGTERM or Ctrl-C while serve builds a large dataset (10,000 clips of 30 s)
// stops the set-up at once instead of after minutes. The bound is generous.
func TestNewAppStopsWhenCancelled(t *testing.T) {
	o, s := baseOptions(t, "--model", "m", "--url", "127.0.0.1:1", "--audio-length-mean", "30", "--num-dataset-entries", "1000")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	app, err := NewAppContext(ctx, o, s, zap.NewNop())
	if !errors.Is(err, context.Canceled) || app != nil {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("set-up stopped %v after the start (cancelled at 300 ms)", took)
	}
}
