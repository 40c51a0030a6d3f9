package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// profile --config runs what AIPerf's YAML says: its endpoint, its phases and
// its control hook reach the server; a bad key exits 2 in one line naming it.
func TestProfileConfigFile(t *testing.T) {
	c := startControlServer(t)
	file := filepath.Join(t.TempDir(), "bench.yaml")
	yaml := `schemaVersion: "2.0"
benchmark:
  model: m
  endpoint: {url: ` + c.URL + `, reset_kv_cache: true}
  phases:
    - {name: warmup, type: concurrency, requests: 1}
    - {name: profiling, type: concurrency, concurrency: 1, requests: 2}
`
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	_, dir := profileOK(t, "--config", file, "--no-server-metrics")
	if got := c.order(); got != "/reset_prefix_cache chat" {
		t.Errorf("the server received %q", got)
	}
	export := readJSON(t, filepath.Join(dir, "profile_export_aiperf.json"))
	if n := statOf(t, export, "request_count", "avg"); n != 2 {
		t.Errorf("request_count %g, want the profiling phase's 2", n)
	}

	if err := os.WriteFile(file, []byte(strings.Replace(yaml, "requests: 2", "requets: 2", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut, _ := profileInDir(t, "--config", file)
	if code != 2 || !strings.Contains(errOut, "benchmark.phases.1.requets") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Errorf("exit %d, stderr %q: want exit 2, one line naming the key", code, errOut)
	}
}
