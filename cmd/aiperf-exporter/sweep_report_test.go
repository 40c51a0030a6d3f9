package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `report DIR` over a sweep whose summary is gone rebuilds it as the live
// run wrote it, byte for byte: a --variant sweep (settings named by label,
// in the order given) and a recipe's sweep with its SLAs, whose verdicts
// the console gives again. Before, the variants were no setting
// directories and the SLAs were lost.
func TestReportRebuildsSweepSummary(t *testing.T) {
	for _, c := range []struct {
		name    string
		args    []string
		console string // where the console's verdicts start; "" for none
	}{
		{"variants", []string{"--variant", "low: concurrency=2", "--variant", "high: concurrency=1"}, ""},
		{"recipe SLAs", []string{"--search-recipe", "max-concurrency-under-sla", "--search-style", "grid", "--concurrency-max", "2", "--concurrency-steps", "2",
			"--ttft-sla-ms", "60000", "--search-sla", "request_latency:p99:lt:0.000001"}, "SLAs:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr, base := profileInDir(t, append(quickMock, c.args...)...)
			if code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
			}
			want := artifactTexts(t, base)
			if err := os.RemoveAll(filepath.Join(base, "sweep_aggregate")); err != nil {
				t.Fatal(err)
			}
			var out, errb bytes.Buffer
			if code := run([]string{"report", base}, &out, &errb); code != 0 {
				t.Fatalf("report: exit %d\n%s\n%s", code, out.String(), errb.String())
			}
			got := artifactTexts(t, base)
			for path, text := range want {
				if got[path] != text {
					t.Errorf("%s differs after report:\n%.2000s\nwant\n%.2000s", path, got[path], text)
				}
			}
			if len(got) != len(want) {
				t.Errorf("report wrote %d files, the run %d", len(got), len(want))
			}
			if c.console != "" {
				_, live, _ := strings.Cut(stdout, c.console)
				_, again, found := strings.Cut(out.String(), c.console)
				if !found || again != live {
					t.Errorf("report's verdicts:\n%s\nwant the run's:\n%s", again, live)
				}
			}
		})
	}
}
