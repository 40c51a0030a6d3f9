package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// scored waits until /metrics shows at least n scored answers and returns the
// word error rate sum and count.
func scored(t *testing.T, base string, logs *testkit.SyncBuffer, n float64) (sum, count float64) {
	t.Helper()
	m := waitMetrics(t, base, logs, "scored answers", func(m string) bool {
		c, _ := sampleSum(m, "aiperf_word_error_rate_count")
		return c >= n
	})
	sum, _ = sampleSum(m, "aiperf_word_error_rate_sum")
	count, _ = sampleSum(m, "aiperf_word_error_rate_count")
	return sum, count
}

// TestServeSpeechWordErrorRate runs `serve --mock --audio-source speech`,
// raises the mock's word error rate from 0 to 0.3 through its /configure
// endpoint, and checks aiperf_word_error_rate follows. Then (with promtool)
// it replays the two measured means as Prometheus series through the real
// alert rules: AiperfWordErrorRateHigh must stay silent at the first and
// fire at the second.
func TestServeSpeechWordErrorRate(t *testing.T) {
	base, logs := startServe(t, "--mock", "--mock.ttft", "1", "--mock.itl", "1", "--streaming",
		"--audio-source", "speech", "--concurrency", "2", "--model", "omni")
	mockURL := waitLogField(t, logs, "mock server started", "url")
	sum1, n1 := scored(t, base, logs, 20)
	if sum1 != 0 {
		t.Fatalf("mock at word error rate 0: aiperf_word_error_rate_sum = %g over %g answers, want 0", sum1, n1)
	}
	resp, err := http.Post(mockURL+"/configure", "application/json", strings.NewReader(`{"word_error_rate": 0.3}`))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("configure the mock: %v %v", err, resp)
	}
	resp.Body.Close()
	// Answers in flight during the change may still be perfect: skip past them.
	s, n := scored(t, base, logs, n1+4)
	sum2, n2 := scored(t, base, logs, n+40)
	mean := (sum2 - s) / (n2 - n)
	// Each answer has floor(0.3·words)/words wrong: 0.3 at most, and over the
	// set's clip lengths well above the alert's 0.15.
	if mean <= 0.15 || mean > 0.3 {
		t.Fatalf("mock at word error rate 0.3: mean aiperf_word_error_rate %g over %g answers, want within (0.15, 0.3]", mean, n2-n)
	}
	replayThroughAlert(t, 0, mean)
}

// replayThroughAlert writes a promtool unit test where a model's mean word
// error rate is before for 20 minutes and after for 25 more (10 answers a
// minute) and runs it against the committed rules.
func replayThroughAlert(t *testing.T, before, after float64) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed: alert replay skipped")
	}
	rules, err := filepath.Abs("../../deploy/prometheus/rules")
	if err != nil {
		t.Fatal(err)
	}
	series := `{job="aiperf-exporter", instance="a:9803", scenario="default", model_name="omni", target="mock"}`
	test := fmt.Sprintf(`rule_files: [%[1]s/thresholds.yml, %[1]s/recording.yml, %[1]s/alerts.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'aiperf_word_error_rate_sum%[2]s'
        values: '0+%[3]gx20 %[5]g+%[4]gx25'
      - series: 'aiperf_word_error_rate_count%[2]s'
        values: '0+10x45'
    promql_expr_test:
      - expr: ALERTS{alertname="AiperfWordErrorRateHigh", alertstate="firing"}
        eval_time: 20m
        exp_samples: []
      - expr: ALERTS{alertname="AiperfWordErrorRateHigh", alertstate="firing"}
        eval_time: 45m
        exp_samples:
          - labels: 'ALERTS{alertname="AiperfWordErrorRateHigh", alertstate="firing", job="aiperf-exporter", model_name="omni", scenario="default", severity="warning", target="mock"}'
            value: 1
`, rules, series, before*10, after*10, before*200)
	file := filepath.Join(t.TempDir(), "replay.yml")
	if err := os.WriteFile(file, []byte(test), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(promtool, "test", "rules", file).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool test rules (mean word error rate %g then %g): %v\n%s", before, after, err, out)
	}
}
