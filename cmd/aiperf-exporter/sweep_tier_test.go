package main

import (
	"os"
	"strings"
	"testing"
)

// --search-sla-tier over max-concurrency-under-sla: the mock meets the
// loose tier at every load and breaks the impossible one at the least,
// so the search settles both and names each boundary.
func TestProfileMultiTierSearch(t *testing.T) {
	code, stdout, stderr, base := profileInDir(t, append(quickMock, "--search-recipe", "max-concurrency-under-sla",
		"--concurrency-max", "4", "--search-sla-tier", "loose:time_to_first_token:p95:lt:60000",
		"--search-sla-tier", "request_latency:p99:lt:0.000001")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	h := history(t, base)
	res := h["tier_results"].([]any)
	loose, strict := res[0].(map[string]any), res[1].(map[string]any)
	if loose["label"] != "loose" || loose["boundary_concurrency"] != 4.0 || loose["convergence_reason"] != "no_failure_in_range" {
		t.Errorf("loose tier %v", loose)
	}
	if strict["label"] != "tier_2" || strict["boundary_concurrency"] != nil || strict["convergence_reason"] != "no_pass_in_range" {
		t.Errorf("strict tier %v", strict)
	}
	if h["convergence_reason"] != "multi_tier_all_converged" || len(h["iterations"].([]any)) != 3 { // 1, 2, 4
		t.Errorf("history %v", h)
	}
	if !strings.Contains(stdout, "loose: highest concurrency meeting its SLAs 4") || !strings.Contains(stdout, "tier_2: no concurrency met its SLAs") {
		t.Errorf("stdout:\n%s", stdout)
	}
}

func TestProfileMultiTierBadSettings(t *testing.T) {
	tier := []string{"--search-sla-tier", "a:time_to_first_token:p95:lt:100"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{append([]string{"--search-recipe", "max-concurrency-under-sla"}, tier...), `--search-sla-tier (AIPERF_SEARCH_SLA_TIER): expected between 2 and 10 tiers, got 1`},
		{append(append([]string{"--search-recipe", "max-concurrency-under-sla"}, tier...), tier...), `duplicate label "a" (tiers 1 and 2)`},
		{append(append([]string{"--search-recipe", "max-concurrency-under-sla"}, tier...), "--search-sla-tier", "b:ttft:p95:lt:5"), `tier b: "ttft" is not a metric tag`},
		{append(append([]string{"--search-recipe", "max-concurrency-under-sla"}, tier...), "--search-sla-tier", "b:"), `has no filter`},
		{append(append([]string{"--concurrency", "1,2"}, tier...), "--search-sla-tier", "b:time_to_first_token:p95:lt:5"), `needs one concurrency dimension to search`},
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
