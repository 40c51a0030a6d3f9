package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// SIGHUP to a real serve process reloads --config.file: a good file swaps the
// scenarios, a bad one is logged and the old scenarios carry on; the process
// lives on through both and SIGTERM still ends it cleanly.
func TestServeReloadsOnSIGHUP(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "scenarios.yaml")
	write := func(text string) {
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("scenarios:\n  - name: first\n    concurrency: 1\n")
	addr := testkit.FreeAddr(t)
	var logs testkit.SyncBuffer
	cmd := exec.Command(os.Args[0], "serve", "--mock", "--mock.ttft", "1", "--mock.itl", "1", "--isl", "4",
		"--config.file", file, "--web.listen-address", addr, "--log.format", "json", "--shutdown.grace-period", "5")
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	cmd.Stdout, cmd.Stderr = io.Discard, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	scrape := func() string {
		_, body := httpGet(t, "http://"+addr+"/metrics")
		return body
	}
	wait := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(60 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
			select {
			case err := <-exited:
				t.Fatalf("serve exited (%v) while waiting for %s; logs:\n%s", err, what, logs.String())
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("no %s within 60 s; logs:\n%s", what, logs.String())
			}
		}
	}
	success := func(scenario string) func() bool {
		return func() bool {
			return strings.Contains(scrape(), `aiperf_requests_total{model_name="mock-model",outcome="success",scenario="`+scenario+`",target="mock"} `) &&
				!strings.Contains(scrape(), `outcome="success",scenario="`+scenario+`",target="mock"} 0`)
		}
	}
	wait("success of the first scenario", success("first"))

	write("scenarios:\n  - name: second\n    concurrency: 1\n")
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	wait("reload log line", func() bool { return strings.Contains(logs.String(), `"configuration reloaded"`) })
	wait("success of the second scenario", success("second"))

	write("scenarios: [{name: third, concurency: 1}]\n")
	if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	wait("failed reload log line", func() bool { return strings.Contains(logs.String(), "reload failed") })
	wait("reload failure metric", func() bool {
		return strings.Contains(scrape(), "aiperf_exporter_config_last_reload_successful 0")
	})
	if strings.Contains(scrape(), `scenario="third"`) {
		t.Error("the bad file's scenario is running")
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve exited with %v after SIGTERM; logs:\n%s", err, logs.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop within 60 s of SIGTERM")
	}
	if !strings.Contains(logs.String(), "shut down cleanly") {
		t.Errorf("no clean shutdown logged:\n%s", logs.String())
	}
}
