package mockserver

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

func TestCloseEndsStreamsAndLeaksNothing(t *testing.T) {
	defer testkit.NoLeaks(t, goleak.IgnoreCurrent())
	r, err := Start(context.Background(), "", Config{ITL: time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := &http.Transport{}
	client := &http.Client{Transport: tr}
	defer tr.CloseIdleConnections()

	// A stream that would take 100 s is in flight when the server closes.
	resp, err := client.Post(r.URL+"/v1/chat/completions", "application/json",
		strings.NewReader(`{"model":"m","stream":true,"max_tokens":100,"messages":[{"role":"user","content":"x"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	closed := make(chan error, 1)
	go func() { closed <- r.Close() }()
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return")
	}
	if err := r.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := client.Get(r.URL + "/health"); err == nil {
		t.Error("server still answers after Close")
	}
}

func TestStartStopsWithContext(t *testing.T) {
	defer testkit.NoLeaks(t, goleak.IgnoreCurrent())
	ctx, cancel := context.WithCancel(context.Background())
	r, err := Start(ctx, "127.0.0.1:0", Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		t.Fatal("server still running after its context ended")
	}
}

func TestStartRejects(t *testing.T) {
	if _, err := Start(context.Background(), "", Config{TTFT: -1}, nil); err == nil {
		t.Error("negative TTFT accepted")
	}
	if _, err := Start(context.Background(), "256.0.0.1:1", Config{}, nil); err == nil {
		t.Error("bad address accepted")
	}
}

// A client connection that never sends a request (a dial the client raced and
// kept) must not hold Close: http.Server.Shutdown counts such a connection as
// busy for its first 5 seconds, and `profile --mock` sat that long after its
// files were written. The bound is loose (the bug is a fixed 5 s wait).
func TestCloseDoesNotWaitForUnusedConnections(t *testing.T) {
	m, err := Start(context.Background(), "", Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", strings.TrimPrefix(m.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(50 * time.Millisecond) // let the server accept it
	start := time.Now()
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("Close took %v with one unused connection open", took)
	}
}
