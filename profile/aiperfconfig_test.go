package profile

import (
	"errors"
	"flag"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// parseWithConfig parses args as profile does, then applies the config file.
func parseWithConfig(t *testing.T, file string, args ...string) (*options.Options, *options.Profile, map[string]bool, error) {
	t.Helper()
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o options.Options
	var p options.Profile
	set, err := options.Parse(fs, args, &o, &p)
	if err != nil {
		t.Fatal(err)
	}
	return &o, &p, set, ApplyConfig(fs, set, filepath.Join("testdata", "config", file))
}

// Each key of AIPerf's YAML lands on the flag it means; a flag given on the
// command line (by any of its names) wins over the file.
func TestApplyConfig(t *testing.T) {
	o, p, set, err := parseWithConfig(t, "full.yaml", "-m", "cli-model")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"models (the command line's)", o.Models, []string{"cli-model"}},
		{"random seed", o.RandomSeed, int64(7)},
		{"url", o.URLs, []string{"http://127.0.0.1:8000/v1/chat/completions"}},
		{"endpoint type", o.EndpointType, "chat"},
		{"streaming", o.Streaming, true},
		{"timeout", o.RequestTimeout, 30.0},
		{"header", o.Headers, []string{"X-Team: bench"}},
		{"reset", p.ResetKVCache, true},
		{"reset path", p.ResetKVCachePath, "/flush_cache"},
		{"reset timeout", p.ResetKVCacheTimeout, 3.0},
		{"profiler", p.ServerProfiler, true},
		{"entries", o.NumDatasetEntries, 40},
		{"isl", []any{o.InputTokensMean, o.InputTokensStddev}, []any{128, 8.0}},
		{"osl", o.OutputTokensMean, 32},
		{"warmup", [2]int{p.WarmupConcurrency, o.WarmupCount}, [2]int{2, 4}},
		{"profiling", []any{o.ArrivalPattern, o.RequestRate, o.Concurrency, o.Duration, o.GracePeriod}, []any{"poisson", 12.5, 8, 60.0, 10.0}},
		{"artifact dir", p.ArtifactDir, "/tmp/from-config"},
		{"artifact dir marked set", set["artifact-dir"], true},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

// One bad file per failure: one error for --config naming the key.
func TestApplyConfigRefuses(t *testing.T) {
	for file, want := range map[string]string{
		"unknown_key.yaml": "benchmark.endpoint.stremaing",
		"sweep.yaml":       "unknown or unsupported key sweep",
		"schema1.yaml":     `schemaVersion "1.0"`,
		"phase_type.yaml":  `benchmark.phases.type "user_centric"`,
		"bad_value.yaml":   "benchmark.phases.concurrency (--concurrency)",
		"missing.yaml":     "no such file",
	} {
		_, _, _, err := parseWithConfig(t, file)
		var oe *options.Error
		if !errors.As(err, &oe) || oe.Flag != "config" || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v, want one line for --config naming %q", file, err, want)
		}
	}
	// A device never ends: refused, not read forever.
	fs := flag.NewFlagSet("profile", flag.ContinueOnError)
	if err := ApplyConfig(fs, map[string]bool{}, "/dev/zero"); err == nil || !strings.Contains(err.Error(), "/dev/zero: not a regular file") {
		t.Errorf("a device: %v", err)
	}
}
