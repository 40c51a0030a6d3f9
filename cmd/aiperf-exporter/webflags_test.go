package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// exporter-toolkit's usual flags: --web.listen-address repeats (every address
// serves), --web.telemetry-path moves the metrics.
func TestServeWebFlags(t *testing.T) {
	addrs, logs := startServeAddrs(t, "--mock", "--web.listen-address", "127.0.0.1:0", "--web.telemetry-path", "/probe-metrics")
	if len(addrs) != 2 || addrs[0] == addrs[1] {
		t.Fatalf("serving on %v, want two addresses", addrs)
	}
	for _, b := range []string{"http://" + addrs[0], "http://" + addrs[1]} {
		code, body := httpGet(t, b+"/probe-metrics")
		for deadline := time.Now().Add(30 * time.Second); code != http.StatusOK && time.Now().Before(deadline); {
			time.Sleep(50 * time.Millisecond)
			code, body = httpGet(t, b+"/probe-metrics")
		}
		if code != http.StatusOK || !strings.Contains(body, "aiperf_requests_total") {
			t.Errorf("%s/probe-metrics: %d; logs:\n%.2000s", b, code, logs.String())
		}
		if code, _ := httpGet(t, b+"/metrics"); code != http.StatusNotFound {
			t.Errorf("%s/metrics: %d, want 404 with --web.telemetry-path", b, code)
		}
		if _, page := httpGet(t, b+"/"); !strings.Contains(page, `href="probe-metrics"`) {
			t.Errorf("%s/: the landing page does not link the telemetry path", b)
		}
	}
}

func TestServeBadWebFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--mock", "--web.telemetry-path", "metrics"},
		{"--mock", "--web.telemetry-path", "/"},
		{"--mock", "--web.telemetry-path", "/-/healthy"},
	} {
		var out, errb bytes.Buffer
		if code := serve(context.Background(), args, &out, &errb); code != 2 || !strings.Contains(errb.String(), "--web.telemetry-path") {
			t.Errorf("%v: exit %d, stderr %q; want 2 naming --web.telemetry-path", args, code, errb.String())
		}
	}
}

// --web.systemd-socket serves on the socket systemd passes (LISTEN_FDS, fd 3)
// instead of opening --web.listen-address.
func TestServeSystemdSocket(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f, err := l.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // the child owns the socket through f
	defer f.Close()
	// systemd sets LISTEN_PID to the service's pid; sh's exec keeps its own.
	cmd := exec.Command("sh", "-c", `LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" "$@"`, os.Args[0], "serve", "--mock",
		"--web.systemd-socket", "--web.listen-address", "127.0.0.1:1", "--log.format", "json", "--shutdown.grace-period", "0")
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	cmd.ExtraFiles = []*os.File{f}
	var logs testkit.SyncBuffer
	cmd.Stdout, cmd.Stderr = io.Discard, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("serve: %v; logs:\n%s", err, logs.String())
			}
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Error("serve did not stop")
		}
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		code, _ := httpGet(t, "http://"+addr+"/-/healthy")
		if code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing served on the passed socket %s; logs:\n%s", addr, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// stderr reaches logs through a pipe and exec's copying goroutine, so
	// the serving line may arrive after the first answer: wait for it too.
	for !strings.Contains(logs.String(), `"serving"`) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), addr) {
		t.Errorf("the serving line does not name the passed socket %s:\n%s", addr, logs.String())
	}
}
