package collector

import (
	"bytes"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

const promtool = "/usr/bin/promtool"

// The whole exposition, Go and process metrics included, passes promtool's linter.
func TestPromtoolCheckMetrics(t *testing.T) {
	if _, err := os.Stat(promtool); err != nil {
		t.Skipf("promtool not installed at %s: %v", promtool, err)
	}
	reg, c := newTest(t)
	c.Observe(success("req-1"))
	c.Observe(serverError())
	if err := reg.Register(NewBudgetCollector(func() (int, int, int) { return 3 << 20, 256 << 20, 2 })); err != nil {
		t.Fatal(err)
	}
	text := exposition(t, reg)
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(text)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
	for _, want := range []string{"aiperf_exporter_build_info{", "aiperf_time_to_first_token_seconds_bucket{", "go_goroutines ", "process_cpu_seconds_total ",
		"aiperf_exporter_response_budget_refusals_total 2\n"} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("%s missing from the exposition", want)
		}
	}
}

// exposition renders everything reg gathers in the text format.
func exposition(t *testing.T, reg prometheus.Gatherer) []byte {
	t.Helper()
	return expfmtOf(t, reg, expfmt.TypeTextPlain)
}

// Latency observations carry the request id as exemplar, served with OpenMetrics
// by Handler.
func TestExemplarsServedWithOpenMetrics(t *testing.T) {
	reg, c := newTest(t)
	c.Observe(success("req-abc"))
	srv := httptest.NewServer(Handler(reg))
	defer srv.Close()

	get := func(accept string) string {
		_, body := testkit.Get(t, srv.URL, map[string]string{"Accept": accept})
		return body
	}
	om := get("application/openmetrics-text; version=1.0.0")
	for _, name := range []string{"aiperf_time_to_first_token_seconds", "aiperf_time_to_second_token_seconds",
		"aiperf_time_to_first_output_token_seconds", "aiperf_inter_token_latency_seconds", "aiperf_request_latency_seconds"} {
		if !hasExemplar(om, name, `request_id="req-abc"`) {
			t.Errorf("%s: no exemplar with the request id in\n%s", name, grepLines(om, name+"_bucket"))
		}
	}
	if strings.Contains(get("text/plain"), "req-abc") {
		t.Error("the request id leaked into the classic text format (it must only be an exemplar)")
	}
}

func hasExemplar(text, name, label string) bool {
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, name+"_bucket{") && strings.Contains(line, " # {"+label+"}") {
			return true
		}
	}
	return false
}

func grepLines(text, prefix string) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, prefix) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}
