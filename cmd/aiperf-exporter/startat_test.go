package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// --start-at holds the run until then: the first request starts no earlier.
func TestProfileStartAt(t *testing.T) {
	at := time.Now().Add(time.Second).Truncate(time.Millisecond)
	code, stdout, stderr, base := profileInDir(t, append(quickMock, "--concurrency", "2", "--start-at", at.UTC().Format(time.RFC3339Nano))...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	doc := readJSON(t, filepath.Join(base, report.JSONFile))
	first := stat(t, doc, "min_request_timestamp", "avg") // ns since the epoch
	if int64(first) < at.UnixNano() {
		t.Errorf("first request at %v, before --start-at %v", time.Unix(0, int64(first)), at)
	}
}

func TestProfileStartAtBad(t *testing.T) {
	code, _, stderr, _ := profileInDir(t, append(quickMock, "--start-at", "tomorrow")...)
	if code != 2 || !strings.Contains(stderr, `--start-at (AIPERF_START_AT): "tomorrow" is neither an RFC 3339 time`) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	unix := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	code, stdout, stderr, _ := profileInDir(t, append(quickMock, "--start-at", unix)...)
	if code != 0 {
		t.Errorf("a passed --start-at: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
