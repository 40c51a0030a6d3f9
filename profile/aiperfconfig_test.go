package profile

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// parsed is a command line parsed as profile parses it.
type parsed struct {
	fs  *flag.FlagSet
	o   options.Options
	p   options.Profile
	set map[string]bool
}

func parseArgs(t *testing.T, args ...string) *parsed {
	t.Helper()
	r := &parsed{fs: flag.NewFlagSet("profile", flag.ContinueOnError)}
	r.fs.SetOutput(io.Discard)
	var err error
	if r.set, err = options.Parse(r.fs, args, &r.o, &r.p); err != nil {
		t.Fatal(err)
	}
	return r
}

// parseWithConfig parses args as profile does, then applies the config file.
func parseWithConfig(t *testing.T, file string, args ...string) (*options.Options, *options.Profile, map[string]bool, error) {
	r := parseArgs(t, args...)
	c, err := ReadConfig(filepath.Join("testdata", "config", file))
	if err == nil {
		err = c.Apply(r.fs, r.set)
	}
	return &r.o, &r.p, r.set, err
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
		"unknown_key.yaml":       "benchmark.endpoint.stremaing",
		"sweep.yaml":             "sweep.parameters.concurrency: want a list for concurrency, rate",
		"env_missing.yaml":       "environment variable AIPERF_TEST_UNSET is not set",
		"jinja.yaml":             "{{ }} templating is not done here",
		"zmq.yaml":               "unsupported key benchmark.runtime.communication: AIPerf's ZMQ settings",
		"adaptive.yaml":          `sweep.type "adaptive_search": only grid and zip`,
		"warmup_and_phases.yaml": "benchmark.warmup: cannot be used with phases",
		"conflict.yaml":          "benchmark.dataset.entries and benchmark.phases.sessions both set --num-dataset-entries",
		"model_weight.yaml":      "unknown or unsupported key benchmark.models.items.0.weight",
		"exclude.yaml":           "benchmark.phases.0.exclude_from_results: true does not fit the phase",
		"two_profiling.yaml":     "benchmark.phases.1: a second profiling phase",
		"schema1.yaml":           `schemaVersion "1.0"`,
		"phase_type.yaml":        `benchmark.phases.type "adaptive_scale"`,
		"bad_value.yaml":         "benchmark.phases.concurrency (--concurrency)",
		"missing.yaml":           "no such file",
	} {
		_, _, _, err := parseWithConfig(t, file)
		if !namesFlag(err, "config") || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v, want one line for --config naming %q", file, err, want)
		}
	}
	// A device never ends: refused, not read forever.
	if _, err := ReadConfig("/dev/zero"); err == nil || !strings.Contains(err.Error(), "/dev/zero: not a regular file") {
		t.Errorf("a device: %v", err)
	}
}

// AIPerf's config shapes (fixtures named after the AIPerf source that builds
// each from a command line) load to exactly what that command line sets.
func TestApplyConfigMatchesCommandLine(t *testing.T) {
	t.Setenv("AIPERF_TEST_URL", "http://127.0.0.1:8001")
	os.Unsetenv("AIPERF_TEST_UNSET")
	for file, args := range map[string][]string{
		"_converter_endpoint.yaml": {"--model", "m1,m2", "--model-selection-strategy", "random",
			"--url", "http://127.0.0.1:8000", "--url-strategy", "round_robin", "--endpoint-type", "completions",
			"--streaming", "--endpoint", "/v1/completions", "--api-key", "sk-test", "--request-timeout-seconds", "30.5",
			"--wait-for-model-timeout", "12", "--use-legacy-max-tokens", "--use-server-token-count",
			"--connection-reuse-strategy", "never", "--session-header", "X-Session", "--header", "X-Team: bench",
			"--extra-inputs", "temperature:0.5", "--reset-kv-cache", "--reset-kv-cache-path", "/flush_cache",
			"--reset-kv-cache-timeout-seconds", "3", "--server-profiler"},
		"_converter_profiling.yaml": {"--model", "m", "--random-seed", "42", "--warmup-request-count", "5",
			"--warmup-arrival-pattern", "constant", "--warmup-request-rate", "4", "--warmup-concurrency", "2",
			"--warmup-request-rate-ramp-duration", "3", "--arrival-pattern", "gamma", "--request-rate", "10",
			"--arrival-smoothness", "1.5", "--concurrency", "8", "--benchmark-duration", "120",
			"--benchmark-grace-period", "15", "--request-count", "100", "--concurrency-ramp-duration", "5",
			"--request-cancellation-rate", "10", "--request-cancellation-delay", "0.5"},
		"_converter_dataset.yaml": {"--model", "m", "--num-dataset-entries", "50", "--isl", "256",
			"--isl-stddev", "16", "--osl", "64", "--osl-stddev", "4", "--prompt-batch-size", "2",
			"--prompt-prefix-pool-size", "3", "--prompt-prefix-length", "20", "--audio-length-mean", "5",
			"--audio-length-stddev", "1", "--audio-batch-size", "1", "--audio-format", "wav",
			"--audio-sample-rates", "16", "--audio-num-channels", "1", "--conversation-turn-mean", "2",
			"--conversation-turn-stddev", "0", "--conversation-turn-delay-mean", "100",
			"--conversation-turn-delay-stddev", "10"},
		"_converter_runtime.yaml": {"--model", "m", "--artifact-dir", "/tmp/aiperf-run", "--profile-export-prefix", "run1",
			"--slice-duration", "2.5", "--export-level", "raw", "--export-http-trace", "--log-level", "DEBUG",
			"--ui-type", "simple", "--workers-max", "4", "--api-port", "9999"},
		"_converter_optionals.yaml": {"--model", "m", "--sweep-type", "zip", "--parameter-sweep-mode", "independent",
			"--num-profile-runs", "3", "--confidence-level", "0.9", "--profile-run-cooldown-seconds", "1",
			"--tokenizer", "gpt2", "--tokenizer-revision", "main",
			"--goodput", "request_latency:1000 time_to_first_token:200"},
		"_converter_telemetry.yaml": {"--model", "m", "--server-metrics", "http://127.0.0.1:9400/metrics",
			"--no-gpu-telemetry", "--network-latency-mean", "1.5", "--otel-url", "http://127.0.0.1:4318/v1/metrics",
			"--stream", "metrics", "--otel-resource-attributes", "team=bench", "--mlflow-tracking-uri", "http://127.0.0.1:5000",
			"--mlflow-experiment", "exp", "--mlflow-tag", "owner:me", "--wandb-project", "proj", "--wandb-tag", "a,b"},
		"dev_deploy_test-benchmark-config.yaml": {"--model", "mock-model", "--url", "http://127.0.0.1:8000/v1/chat/completions",
			"--endpoint-type", "chat", "--use-server-token-count", "--tokenizer", "builtin", "--num-dataset-entries", "100",
			"--isl", "50", "--osl", "20", "--request-count", "50", "--concurrency", "5"},
		"env_vars.yaml": {"--model", "fallback-model", "--url", "http://127.0.0.1:8001/v1/chat/completions",
			"--api-key", "", "--concurrency", "3"},
	} {
		o, p, set, err := parseWithConfig(t, filepath.Join("aiperf", file))
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		cli := parseArgs(t, args...)
		wo, wp, wset := cli.o, cli.p, cli.set
		if !reflect.DeepEqual(*o, wo) {
			t.Errorf("%s: options differ from the command line's:\n got %+v\nwant %+v", file, *o, wo)
		}
		if !reflect.DeepEqual(*p, wp) {
			t.Errorf("%s: profile settings differ from the command line's:\n got %+v\nwant %+v", file, *p, wp)
		}
		for name := range wset {
			if !set[name] {
				t.Errorf("%s: --%s not marked set", file, name)
			}
		}
	}
}

// Every flag the table names exists, so no key can map to nothing.
func TestConfigFlagTableNamesFlags(t *testing.T) {
	fs := parseArgs(t).fs
	for key, name := range configFlag {
		if name = strings.TrimPrefix(name, "!"); name != "-" && fs.Lookup(name) == nil {
			t.Errorf("%s maps to --%s, which is no flag", key, name)
		}
	}
}

// The file's sweep lists come back as the flags that take them, except for a
// setting the command line already gives (by any of its names).
func TestConfigSweepArgs(t *testing.T) {
	file := filepath.Join("testdata", "config", "aiperf", "_converter_optionals.yaml")
	for _, c := range []struct {
		set  map[string]bool
		want []string
	}{
		{map[string]bool{}, []string{"--concurrency=1,2,4", "--synthetic-input-tokens-mean=128,256,512"}},
		{map[string]bool{"isl": true}, []string{"--concurrency=1,2,4"}},
	} {
		cfg, err := ReadConfig(file)
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.SweepArgs(c.set); !reflect.DeepEqual(got, c.want) {
			t.Errorf("given %v: %q; want %q", c.set, got, c.want)
		}
	}
}

// The file is read once: what ReadConfig read still applies, and still gives
// its sweep lists, once the file is gone (or has changed).
func TestConfigFileIsReadOnce(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "config", "aiperf", "_converter_optionals.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := ReadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	r := parseArgs(t)
	if err := cfg.Apply(r.fs, r.set); err != nil || r.p.ConfidenceLevel != 0.9 {
		t.Errorf("applied after the file went: %v, confidence level %v", err, r.p.ConfidenceLevel)
	}
	if got := cfg.SweepArgs(r.set); len(got) != 2 {
		t.Errorf("sweep lists after the file went: %q", got)
	}
}
