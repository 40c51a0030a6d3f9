package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/sweep"
)

// --search-sla judges every setting of a plain sweep: the mock's TTFT of a
// few ms breaks "above 60 s" at the first setting; its error rate (derived
// from each run's counts, as AIPerf's request_error_rate) is 0 %.
func TestProfileSearchSLAOnASweep(t *testing.T) {
	stdout, base := profileOK(t, append(quickMock, "--concurrency", "1,2",
		"--search-sla", "request_error_rate:avg:le:0", "--search-sla", "time_to_first_token:p95:gt:60000")...)
	for _, want := range []string{"SLAs: [request_error_rate avg <= 0 time_to_first_token p95 > 60000]", "the first setting, 1, already breaks an SLA"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	combos := testkit.ReadJSON[sweepSummary](t, filepath.Join(base, "sweep_aggregate", sweep.SweepJSONFile)).PerCombination
	if len(combos) == 0 {
		t.Fatal("no setting in the summary")
	}
	if rate, ok := combos[0].Metrics[sweep.ErrorRateFigure]; !ok || rate.Mean == nil || *rate.Mean != 0 || rate.Unit != "%" {
		t.Errorf("request_error_rate_avg = %v", rate)
	}
}

// --error-rate-sla (a fraction) and --search-sla join max-concurrency-under-sla's
// SLAs, after the recipe's own, in AIPerf's order.
func TestProfileErrorRateSLARecipe(t *testing.T) {
	stdout, _ := profileOK(t, append(quickMock, "--search-recipe", "max-concurrency-under-sla",
		"--search-style", "grid", "--concurrency-max", "2", "--error-rate-sla", "0.05", "--search-sla", "request_latency:p50:lt:60000")...)
	for _, want := range []string{"SLAs: [request_error_rate avg < 5 request_latency p50 < 60000]", "every setting met every SLA, up to 2"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
}

func TestProfileSearchSLABadSettings(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--concurrency", "1,2", "--search-sla", "time_to_first_token:p95:lt"}, `--search-sla (AIPERF_SEARCH_SLA): "time_to_first_token:p95:lt": expected 4 colon-separated parts`},
		{[]string{"--concurrency", "1,2", "--search-sla", "time_to_first_token:p95:below:200"}, `unknown op "below"`},
		{[]string{"--concurrency", "1,2", "--search-sla", "ttft:p95:lt:200"}, `--search-sla (AIPERF_SEARCH_SLA): "ttft:p95:lt:200": "ttft" is not a metric tag`},
		{[]string{"--concurrency", "1,2", "--search-sla", "request_throughput:p99:gt:5"}, `request_throughput has one value per run: its stat is avg`},
		{[]string{"--search-sla", "time_to_first_token:p95:lt:200"}, `--search-sla (AIPERF_SEARCH_SLA): needs a sweep to judge`},
		{[]string{"--error-rate-sla", "0.01"}, `--error-rate-sla (AIPERF_ERROR_RATE_SLA): needs --search-recipe`},
		{[]string{"--search-recipe", "max-concurrency-under-sla", "--search-style", "grid", "--error-rate-sla", "5"}, `--error-rate-sla (AIPERF_ERROR_RATE_SLA): "5" must be between 0 and 1`},
	} {
		code, _, stderr, base := profileInDir(t, append(quickMock, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q, want 2 and %q", c.args, code, stderr, c.want)
		}
		if entries, _ := os.ReadDir(base); len(entries) > 0 {
			t.Errorf("%q: wrote %d entries before failing", c.args, len(entries))
		}
	}
}
