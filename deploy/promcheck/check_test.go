package promcheck

import (
	"path/filepath"
	"strings"
	"testing"
)

func testChecker(t *testing.T) Checker {
	t.Helper()
	cat, err := LoadContract(filepath.Join("..", "..", "docs", "design.md"))
	if err != nil {
		t.Fatal(err)
	}
	return Checker{
		Catalog:  cat,
		Recorded: map[string][]string{"job_model_name:aiperf_time_to_first_token_seconds:p95_5m": {"job", "model_name"}},
		External: func(name string) bool { return strings.HasPrefix(name, "vllm:") },
	}
}

func TestLoadContract(t *testing.T) {
	c := testChecker(t)
	for _, tc := range []struct {
		metric, typ, label string
		values             []string
	}{
		{"aiperf_time_to_first_token_seconds", "histogram", "model_name", nil},
		{"aiperf_requests_total", "counter", "outcome", []string{"success", "error"}},
		{"aiperf_http_phase_duration_seconds", "histogram", "phase", []string{"dns", "connect", "tls", "request_written", "first_byte"}},
		{"aiperf_exporter_build_info", "gauge", "version", nil},
	} {
		m, ok := c.Catalog[tc.metric]
		if !ok {
			t.Errorf("%s missing from contract", tc.metric)
			continue
		}
		if m.Type != tc.typ {
			t.Errorf("%s type = %s, want %s", tc.metric, m.Type, tc.typ)
		}
		got, ok := m.Labels[tc.label]
		if !ok || strings.Join(got, ",") != strings.Join(tc.values, ",") {
			t.Errorf("%s label %s = %v (present %v), want %v", tc.metric, tc.label, got, ok, tc.values)
		}
	}
	if _, ok := c.Catalog["aiperf_exporter_build_info"].Labels["scenario"]; ok {
		t.Error("build_info must not carry probe labels")
	}
}

func TestCheck(t *testing.T) {
	c := testChecker(t)
	for _, tc := range []struct {
		expr    string
		wantErr string
	}{
		{`histogram_quantile(0.95, sum by (le) (rate(aiperf_time_to_first_token_seconds_bucket{job="a",model_name="m"}[5m])))`, ""},
		{`sum(rate(aiperf_requests_total{outcome="success"}[5m]))`, ""},
		{`sum(increase(aiperf_request_errors_total{reason="timeout"}[1h]))`, ""},
		{`aiperf_requests_in_flight{scenario="x", target="t"}`, ""},
		{`up{job="aiperf-exporter"} == 0`, ""},
		{`job_model_name:aiperf_time_to_first_token_seconds:p95_5m{model_name="m"} offset 1d`, ""},
		{`rate(vllm:time_to_first_token_seconds_bucket{anything="x"}[5m])`, ""},
		{`rate(aiperf_time_to_frist_token_seconds_bucket[5m])`, "unknown metric"},
		{`aiperf_time_to_first_token_seconds`, "unknown metric"},
		{`rate(aiperf_requests_total{model="m"}[5m])`, `no label "model"`},
		{`rate(aiperf_requests_total{outcome="ok"}[5m])`, `no value "ok"`},
		{`rate(aiperf_requests_total{le="1"}[5m])`, `no label "le"`},
		{`aiperf_requests_total`, "outside rate"},
		{`sum(aiperf_time_to_first_token_seconds_count)`, "outside rate"},
		{`delta(aiperf_requests_total[5m])`, "outside rate"},
		{`job_model_name:aiperf_time_to_first_token_seconds:p95_5m{instance="i", scenario="s"}`, `no label "scenario"`},
		{`rate(aiperf_requests_total[5m]`, "parse"},
	} {
		err := c.Check(tc.expr)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("Check(%s) = %v, want nil", tc.expr, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("Check(%s) = %v, want error containing %q", tc.expr, err, tc.wantErr)
		}
	}
}

func TestCheckSelector(t *testing.T) {
	c := testChecker(t)
	if err := c.CheckSelector(`aiperf_exporter_build_info{job=~"x"}`); err != nil {
		t.Error(err)
	}
	if err := c.CheckSelector(`aiperf_exporter_build_info{model_name=~"x"}`); err == nil {
		t.Error("build_info with model_name: want error")
	}
}
