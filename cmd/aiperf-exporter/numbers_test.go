package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// A number without a meaning for its setting fails every command at start with
// exit 2 and one line naming the setting, however it was given. (Every numeric
// setting is covered in options' TestNumbersAreValidated; these are the paths
// through each command, and the bugs NaN used to cause.)
func TestBadNumbersExit2(t *testing.T) {
	config := filepath.Join(t.TempDir(), "scenarios.yml")
	if err := os.WriteFile(config, []byte("scenarios:\n  - name: a\n    benchmark-duration: 5\n    benchmark-grace-period: NaN\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	interval := filepath.Join(t.TempDir(), "interval.yml")
	if err := os.WriteFile(interval, []byte("scenarios:\n  - name: b\n    probe.interval: NaN\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	budgetConfig := filepath.Join(t.TempDir(), "budget.yml")
	if err := os.WriteFile(budgetConfig, []byte("scenarios:\n  - name: c\n    response-budget-mib: 64\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		run  func([]string, *bytes.Buffer, *bytes.Buffer) int
		env  map[string]string
		args []string
		want string
	}{
		// NaN used to disable the timeout, spin building a dataset, switch the threshold off.
		{"profile timeout", profileNow, nil, []string{"--request-timeout-seconds", "NaN"}, "--request-timeout-seconds (AIPERF_REQUEST_TIMEOUT_SECONDS)"},
		{"profile audio stddev", profileNow, map[string]string{"AIPERF_AUDIO_LENGTH_STDDEV": "nan"}, []string{"--audio-length-mean", "1"}, "AIPERF_AUDIO_LENGTH_STDDEV"},
		{"profile threshold", profileNow, nil, []string{"--failed-request-threshold", "NaN"}, "--failed-request-threshold"},
		{"profile goodput", profileNow, nil, []string{"--goodput", "time_to_first_token:NaN"}, "--goodput"},
		{"profile duration overflow", profileNow, nil, []string{"--benchmark-duration", "1e12"}, "--benchmark-duration"},
		// absurd sizes ran out of memory or hung building the dataset or starting lanes
		{"profile dataset entries", profileNow, nil, []string{"--request-count", "1", "--num-dataset-entries", "2000000000"}, "--num-dataset-entries (AIPERF_NUM_DATASET_ENTRIES): 2e+09 is above the limit"},
		{"profile isl", profileNow, nil, []string{"--request-count", "1", "--isl", "2000000000"}, "--synthetic-input-tokens-mean (AIPERF_SYNTHETIC_INPUT_TOKENS_MEAN): 2e+09 is above the limit"},
		{"profile concurrency", profileNow, nil, []string{"--request-count", "1", "--concurrency", "100000000"}, "--concurrency (AIPERF_CONCURRENCY): 1e+08 is above the limit"},
		{"profile mock", profileNow, map[string]string{"AIPERF_MOCK_TTFT": "+Inf"}, nil, "AIPERF_MOCK_TTFT"},
		{"serve mock", runServeNow, nil, []string{"--mock.itl", "-Inf"}, "--mock.itl"},
		{"serve grace", runServeNow, map[string]string{"AIPERF_SHUTDOWN_GRACE_PERIOD": "NaN"}, nil, "AIPERF_SHUTDOWN_GRACE_PERIOD"},
		{"serve scenario key", runServeNow, nil, []string{"--config.file", config}, "benchmark-grace-period: NaN is not a number"},
		{"serve scenario interval", runServeNow, nil, []string{"--config.file", interval}, "probe.interval: NaN is not a number"},
		{"serve probe interval", runServeNow, nil, []string{"--probe.interval", "1e-300"}, "--probe.interval"},
		{"mock-server", runMockNow, nil, []string{"--ttft", "NaN"}, "mock-server: --ttft: NaN is not a number"},
		// The mock's own output length beyond its longest answer ran it out of memory.
		{"profile mock output tokens", profileNow, nil, []string{"--mock.output-tokens", "2147483648"}, "--mock.output-tokens (AIPERF_MOCK_OUTPUT_TOKENS): output tokens 2147483648 are more than the max output tokens, 131072"},
		{"profile mock max output tokens", profileNow, map[string]string{"AIPERF_MOCK_MAX_OUTPUT_TOKENS": "10"}, []string{"--mock.output-tokens", "11"}, "--mock.output-tokens (AIPERF_MOCK_OUTPUT_TOKENS): output tokens 11 are more than the max output tokens, 10"},
		{"serve mock output tokens", runServeNow, nil, []string{"--mock.output-tokens", "2147483648"}, "--mock.output-tokens (AIPERF_MOCK_OUTPUT_TOKENS): output tokens 2147483648 are more than the max output tokens"},
		{"serve mock word error rate", runServeNow, map[string]string{"AIPERF_MOCK_WORD_ERROR_RATE": "2"}, nil, "--mock.word-error-rate (AIPERF_MOCK_WORD_ERROR_RATE): word error rate 2 is not within 0..1"},
		{"mock-server output tokens", runMockNow, nil, []string{"--output-tokens", "2147483648"}, "mock-server: --output-tokens: output tokens 2147483648 are more than"},
		{"mock-server max output tokens", runMockNow, nil, []string{"--max-output-tokens", "2147483648"}, "mock-server: --max-output-tokens: max output tokens 2147483648 are more than the mock allows, 1048576"},
		{"profile response budget NaN", profileNow, nil, []string{"--response-budget-mib", "NaN"}, "flag -response-budget-mib: \"NaN\" is not a whole number"},
		{"profile response budget 0", profileNow, nil, []string{"--response-budget-mib", "0"}, "--response-budget-mib (AIPERF_RESPONSE_BUDGET_MIB): must be between 1"},
		{"serve response budget", runServeNow, map[string]string{"AIPERF_RESPONSE_BUDGET_MIB": "-1"}, nil, "AIPERF_RESPONSE_BUDGET_MIB"},
		{"serve response budget NaN", runServeNow, map[string]string{"AIPERF_RESPONSE_BUDGET_MIB": "NaN"}, nil, "AIPERF_RESPONSE_BUDGET_MIB"},
		{"serve response budget per scenario", runServeNow, nil, []string{"--config.file", budgetConfig}, "response-budget-mib: is a daemon-wide setting"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			var out, errb bytes.Buffer
			code := c.run(c.args, &out, &errb)
			msg := strings.TrimSpace(errb.String())
			if code != 2 || !strings.Contains(msg, c.want) || strings.Contains(msg, "\n") {
				t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line naming %s", c.args, code, msg, c.want)
			}
		})
	}
}

// mock-server takes the mock's settings without the "mock." prefix and reads
// no variables: its errors name its own flags, never profile's or serve's.
func TestMockServerNamesItsOwnFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--output-tokens", "10", "--max-output-tokens", "5"}, "aiperf-exporter mock-server: --output-tokens: output tokens 10 are more than the max output tokens, 5"},
		{[]string{"--ttft", "NaN"}, "aiperf-exporter mock-server: --ttft: NaN is not a number"},
		{[]string{"--word-error-rate", "2"}, "aiperf-exporter mock-server: --word-error-rate: word error rate 2 is not within 0..1"},
		{[]string{"--error-rate", "1.5"}, "aiperf-exporter mock-server: --error-rate: fault error500: probability 1.5 is not within 0..1"},
	} {
		var out, errb bytes.Buffer
		code := runMock(c.args, &out, &errb)
		msg := errb.String()
		if code != 2 || !strings.HasPrefix(msg, c.want) || strings.Contains(msg, "mock.") || strings.Contains(msg, "AIPERF_") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q, naming no --mock.* flag or variable", c.args, code, msg, c.want)
		}
	}
}

func profileNow(args []string, stdout, stderr *bytes.Buffer) int {
	return profile(context.Background(), append([]string{"--mock", "--artifact-dir", os.DevNull + "/never"}, args...), stdout, stderr)
}

// runMockNow is runMock with the table's signature (it serves until
// stopped, so only settings it refuses belong in the table).
func runMockNow(args []string, stdout, stderr *bytes.Buffer) int {
	return runMock(args, stdout, stderr)
}

// runServeNow runs serve with an ended context: a setting that passes makes it
// start and stop at once (exit 0), so the test never hangs.
func runServeNow(args []string, stdout, stderr *bytes.Buffer) int {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return serve(ctx, append([]string{"--mock", "--web.listen-address", "127.0.0.1:0"}, args...), stdout, stderr)
}

// An infinite --benchmark-grace-period (AIPerf accepts inf) lets the request
// in flight at the end of the duration finish and count; input_config says inf.
func TestInfiniteGracePeriod(t *testing.T) {
	_, dir := profileOK(t, "--mock", "--mock.ttft", "1", "--mock.itl", "20", "--model", "m", "--streaming",
		"--output-tokens-mean", "40", "--benchmark-duration", "0.1", "--benchmark-grace-period", "inf")
	export := readJSON(t, filepath.Join(dir, report.JSONFile))
	if got := jsonInt(t, export, "dropped_late_requests"); got != 0 {
		t.Errorf("%d requests dropped, want none with an infinite grace period", got)
	}
	loadgen := testkit.JSONAt[map[string]any](t, export, "input_config", "loadgen")
	if g := loadgen["benchmark_grace_period"]; g != "inf" {
		t.Errorf("input_config benchmark_grace_period %v, want \"inf\"", g)
	}
}

// A megabyte given to a flag is named by its first 100 bytes and its length,
// never copied whole onto the error line (internal/clip).
func TestLongFlagValuesAreClipped(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	for _, args := range [][]string{
		{"--concurrency", "1,2", "--sweep-type", long},
		{"--search-space", long},
		{"--variant", "b:concurrency=2", "--variant", long},
		{"--endpoint-type", long},
		{"--server-metrics-formats", long},
		{"--goodput", long},
		{"--goodput", "time_to_first_token:" + long},
		{"--goodput", long + ":1"},
	} {
		var out, errb bytes.Buffer
		code := profileNow(args, &out, &errb)
		msg := strings.TrimSpace(errb.String())
		if code != 2 || !strings.Contains(msg, "(1048576 bytes)") || len(msg) > 1000 {
			t.Errorf("%s: exit %d, stderr %.300q (%d bytes); want exit 2 and the value clipped", args[len(args)-2], code, msg, len(msg))
		}
	}
}
