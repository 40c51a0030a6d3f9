package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	prof "github.com/aiperf-exporter/aiperf-exporter/profile"
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
	if n := stat(t, export, "request_count", "avg"); n != 2 {
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

// A sweep in AIPerf's YAML runs as the same lists on the command line would:
// one run per value; a list on the command line wins over the file's. The
// file is read once, though its sweep lists make profile parse twice.
func TestProfileConfigSweep(t *testing.T) {
	reads := 0
	readConfigFile = func(path string) (*prof.ConfigFile, error) {
		reads++
		return prof.ReadConfig(path)
	}
	t.Cleanup(func() { readConfigFile = prof.ReadConfig })
	file := filepath.Join(t.TempDir(), "sweep.yaml")
	yaml := `schema_version: "2.0"
sweep:
  type: grid
  parameters: {phases.profiling.concurrency: [1, 2]}
benchmark:
  models: [m]
  phases: {type: concurrency, concurrency: 1, requests: 2}
`
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	_, base := profileOK(t, append(quickMock, "--config", file)...)
	for _, dir := range []string{"concurrency_1", "concurrency_2"} {
		if _, err := os.Stat(filepath.Join(base, dir, "profile_export_aiperf.json")); err != nil {
			t.Errorf("the file's sweep: %v", err)
		}
	}
	if reads != 1 {
		t.Errorf("--config's file was read %d times, want once", reads)
	}
	_, base = profileOK(t, append(quickMock, "--config", file, "--concurrency", "3,4")...)
	if _, err := os.Stat(filepath.Join(base, "concurrency_3")); err != nil {
		t.Errorf("the command line's list did not win: %v", err)
	}
	if _, err := os.Stat(filepath.Join(base, "concurrency_1")); err == nil {
		t.Errorf("the file's list ran though the command line gave one")
	}
}

// A value the --config file gives that profile refuses, alone or in a sweep
// list, exits 2 in one line naming the file's key; given on the command
// line, the same fault is named by its flag.
func TestProfileConfigBadValueNamesKey(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.yaml")
	inFile := "aiperf-exporter profile: --config (AIPERF_CONFIG): " + file + ": "
	for _, c := range []struct {
		yaml string
		args []string
		want string
	}{
		{"benchmark: {model: m, phases: {profiling: {concurrency: -1}}}", nil,
			inFile + "benchmark.phases.profiling.concurrency (--concurrency): must be >= 1, got -1"},
		{"sweep: {type: grid, parameters: {phases.profiling.concurrency: [1, -1]}}\nbenchmark: {model: m}", nil,
			inFile + `sweep.parameters.phases.profiling.concurrency (--concurrency): list "1,-1": "-1" must be a whole number of at least 1`},
		{"benchmark: {model: m}", []string{"--concurrency", "-1"},
			"aiperf-exporter profile: --concurrency (AIPERF_CONCURRENCY): must be >= 1, got -1"},
	} {
		if err := os.WriteFile(file, []byte("schema_version: \"2.0\"\n"+c.yaml+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errOut, _ := profileInDir(t, append([]string{"--mock", "--config", file}, c.args...)...)
		if code != 2 || errOut != c.want+"\n" {
			t.Errorf("%s: exit %d, stderr %q; want exit 2, %q", c.yaml, code, errOut, c.want)
		}
	}
}
