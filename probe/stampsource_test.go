package probe_test

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Each record says what stamped its responses: the kernel on Linux, over
// new and reused connections, streamed or not; userspace elsewhere or with
// --no-kernel-timestamps; nothing when no response was stamped.
func TestStampSourcePerRecord(t *testing.T) {
	kernel := record.StampKernel
	if runtime.GOOS != "linux" {
		kernel = record.StampUserspace
	}
	for _, tc := range []struct {
		name      string
		streaming bool
		off       bool
		want      record.StampSource
	}{
		{"streamed", true, false, kernel},
		{"whole body", false, false, kernel},
		{"turned off", true, true, record.StampUserspace},
		{"turned off, whole body", false, true, record.StampUserspace},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keepKernelStamping(t)
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			m, err := mockserver.Start(ctx, "", mockserver.Config{TTFT: time.Millisecond, ITL: time.Millisecond, Seed: 1}, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			cfg := probe.Config{
				Targets:   []probe.Target{{Name: "mock", URL: m.URL + "/v1/chat/completions"}},
				Streaming: tc.streaming, Timeout: 30 * time.Second, Concurrency: 2, RequestCount: 6,
				NoKernelStamps: tc.off,
			}
			var mu sync.Mutex
			var recs []*record.Record
			if err := probe.Run(ctx, cfg, chatDataset(tc.streaming), func(r *record.Record) {
				mu.Lock()
				defer mu.Unlock()
				recs = append(recs, r)
			}); err != nil {
				t.Fatal(err)
			}
			if len(recs) != 6 {
				t.Fatalf("%d records, want 6", len(recs))
			}
			for i, r := range recs {
				if r.Error != nil || len(r.Responses) == 0 {
					t.Fatalf("request failed: %+v, %d responses", r.Error, len(r.Responses))
				}
				if r.StampSource != tc.want {
					t.Errorf("record %d: stamp source %q, want %q (reused connection: %v)", i, r.StampSource, tc.want, r.HTTPPhases.ConnReused)
				}
			}
		})
	}
}
