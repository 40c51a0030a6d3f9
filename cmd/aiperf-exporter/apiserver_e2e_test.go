package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// --api-port serves the run's progress while it runs, on loopback, and
// closes when profile returns.
func TestProfileAPIServer(t *testing.T) {
	addr := testkit.FreeAddr(t)
	_, port, _ := net.SplitHostPort(addr)
	done := make(chan int, 1)
	var out, errb bytes.Buffer
	go func() {
		done <- profile(context.Background(), []string{"--mock", "--model", "m", "--streaming", "--benchmark-duration", "2",
			"--no-server-metrics", "--api-port", port, "--artifact-dir", t.TempDir()}, &out, &errb)
	}()
	var seen map[string]any
	for seen == nil {
		select {
		case code := <-done:
			t.Fatalf("profile ended (exit %d) before its API answered: %s", code, errb.String())
		case <-time.After(20 * time.Millisecond):
		}
		resp, err := http.Get("http://" + addr + "/api/progress")
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err := json.Unmarshal(b, &seen); err != nil {
			t.Fatalf("/api/progress: %v: %s", err, b)
		}
	}
	if phase, _ := seen["phase"].(string); !strings.Contains("warmup profiling complete", phase) || phase == "" {
		t.Errorf("/api/progress %v", seen)
	}
	if code := <-done; code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("the API server still listens after the run")
	}
}
