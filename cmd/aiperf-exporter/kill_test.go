package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// A profile run killed with SIGKILL mid-run, rerun into the directory of a
// finished run, leaves: no export of the old run (17.2), the records it had
// finished (flushed within a second, 17.1) and a JSON export marked partial;
// `report DIR` rebuilds a report from them, marked partial, and skips a last
// line cut short by the kill.
func TestProfileKilledMidRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	common := []string{"--mock", "--mock.ttft", "2", "--mock.itl", "1", "--model", "m", "--streaming",
		"--concurrency", "2", "--synthetic-input-tokens-mean", "8", "--output-tokens-mean", "5", "--artifact-dir", dir}

	// A finished first run.
	var out, errb bytes.Buffer
	if code := profile(context.Background(), append([]string{"--request-count", "3"}, common...), &out, &errb); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, errb.String())
	}
	firstLog, err := os.ReadFile(report.LogPath(dir))
	if err != nil {
		t.Fatal(err)
	}

	// The rerun, a real process, killed once it has written some records.
	cmd := exec.Command(os.Args[0], append([]string{"profile", "--request-count", "1000000"}, common...)...)
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	var childErr testkit.SyncBuffer // read while exec's goroutine copies into it
	cmd.Stdout, cmd.Stderr = io.Discard, &childErr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill() // a failed test leaves no process behind
	jsonl := filepath.Join(dir, report.JSONLFile)
	for deadline := time.Now().Add(2 * time.Minute); completeLines(jsonl) < 20; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no 20 records on disk after 2 minutes; stderr: %s", childErr.String())
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	// 17.2: nothing of the first run is left beside the rerun's files.
	if _, err := os.Stat(filepath.Join(dir, report.CSVFile)); !os.IsNotExist(err) {
		t.Errorf("the first run's CSV is still there (%v)", err)
	}
	log, err := os.ReadFile(report.LogPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(log), "profile starting"); n != 1 || bytes.HasPrefix(log, firstLog) {
		t.Errorf("the log holds %d runs' starts (first run's lines kept: %v):\n%s", n, bytes.HasPrefix(log, firstLog), log)
	}
	if !bytes.Contains(testkit.ReadFile(t, filepath.Join(dir, report.JSONFile)), []byte(`"partial": true`)) {
		t.Errorf("the killed run's JSON is not marked partial")
	}

	// 17.1: the killed run's records rebuild a report; a line cut short by
	// the kill is skipped and counted.
	lines := completeLines(jsonl)
	if bytes.HasSuffix(testkit.ReadFile(t, jsonl), []byte("\n")) { // else the kill cut the last line itself
		f, err := os.OpenFile(jsonl, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(`{"metadata": {"session_num": 7, "x_request_id": "cut`)
		f.Close()
	}
	out.Reset()
	errb.Reset()
	if code := run([]string{"report", dir}, &out, &errb); code != 0 {
		t.Fatalf("report: exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"partial report", "1 record line(s) cut short"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report output lacks %q:\n%s", want, out.String())
		}
	}
	got := testkit.ReadJSON[struct {
		Partial      bool                       `json:"partial"`
		RequestCount struct{ Avg float64 }      `json:"request_count"`
		Errors       struct{ Avg float64 }      `json:"error_request_count"`
		InputConfig  map[string]json.RawMessage `json:"input_config"`
	}](t, filepath.Join(dir, report.JSONFile))
	if !got.Partial || int(got.RequestCount.Avg+got.Errors.Avg) != lines || got.InputConfig["cli_command"] == nil {
		t.Errorf("rebuilt JSON: partial %v, %v+%v requests (want %d), input_config %v",
			got.Partial, got.RequestCount.Avg, got.Errors.Avg, lines, got.InputConfig)
	}
}

// completeLines counts the newline-terminated lines of path (0 if absent).
func completeLines(path string) int {
	b, _ := os.ReadFile(path)
	return bytes.Count(b, []byte("\n"))
}
