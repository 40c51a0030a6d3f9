package daemon

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// reloadApp runs an App over the scenarios in a temporary --config.file
// against the real mock, with or without --web.enable-lifecycle, and returns
// its base URL and the file's path.
func reloadApp(t *testing.T, scenarios string, lifecycle bool) (string, string) {
	t.Helper()
	mock := mocktest.Start(t, mockserver.Config{TTFT: time.Millisecond, ITL: time.Millisecond, OutputTokens: 2, Seed: 1})
	file := filepath.Join(t.TempDir(), "scenarios.yaml")
	writeFile(t, file, scenarios)
	args := []string{"--model", "m", "--url", "mock=" + mock.URL, "--isl", "4", "--random-seed", "3",
		"--num-dataset-entries", "2", "--config.file", file, "--shutdown.grace-period", "5"}
	if lifecycle {
		args = append(args, "--web.enable-lifecycle")
	}
	o, s := baseOptions(t, args...)
	return startApp(t, o, s).base, file
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func post(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitMetrics polls /metrics until ok accepts it (30 s at most).
func waitMetrics(t *testing.T, base, what string, ok func(string) bool) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, body := get(t, base+"/metrics", nil)
		if ok(body) {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 30 s:\n%s", what, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func successes(scenario string) string {
	return `aiperf_requests_total{model_name="m",outcome="success",scenario="` + scenario + `",target="mock"}`
}

// POST /-/reload reads --config.file again: a good file replaces the
// scenarios; a bad one is refused with the reason while the old scenarios keep
// probing, and the reload metrics say which happened.
func TestReloadEndpoint(t *testing.T) {
	base, file := reloadApp(t, "scenarios:\n  - name: first\n    concurrency: 1\n", true)
	body := waitMetrics(t, base, "first success", func(b string) bool { return hasPositive(b, successes("first")) })
	if !strings.Contains(body, "aiperf_exporter_config_last_reload_successful 1") ||
		!strings.Contains(body, "aiperf_exporter_config_last_reload_success_timestamp_seconds ") {
		t.Fatalf("no reload metrics at start:\n%s", grep(body, "aiperf_exporter_config"))
	}
	if !strings.Contains(body, "aiperf_exporter_response_budget_limit_bytes 2.68435456e+08") ||
		!strings.Contains(body, "aiperf_exporter_response_budget_refusals_total ") {
		t.Errorf("no response budget metrics (256 MiB by default):\n%s", grep(body, "aiperf_exporter_response"))
	}

	if _, page := get(t, base+"/", nil); !strings.Contains(page, `data-scenario="first"`) {
		t.Fatalf("the landing page does not show the running scenario:\n%s", page)
	}
	writeFile(t, file, "scenarios:\n  - name: second\n    concurrency: 1\n")
	if code, msg := post(t, base+"/-/reload"); code != http.StatusOK {
		t.Fatalf("reload of a good file: %d %s", code, msg)
	}
	body = waitMetrics(t, base, "second success", func(b string) bool { return hasPositive(b, successes("second")) })
	if strings.Contains(body, `scenario="first"`) {
		t.Errorf("the removed scenario is still exported:\n%s", grep(body, `scenario="first"`))
	}
	if _, page := get(t, base+"/", nil); strings.Contains(page, `data-scenario="first"`) || !strings.Contains(page, `data-scenario="second"`) {
		t.Errorf("the landing page after the reload still shows the removed scenario, or not the new one")
	}

	writeFile(t, file, "scenarios:\n  - name: third\n    concurency: 1\n")
	code, msg := post(t, base+"/-/reload")
	if code != http.StatusInternalServerError || !strings.Contains(msg, "concurency") || !strings.Contains(msg, file) {
		t.Errorf("reload of a bad file: %d %q, want 500 naming the file and key", code, msg)
	}
	before := value(t, body, successes("second"))
	body = waitMetrics(t, base, "second still probing", func(b string) bool { return value(t, b, successes("second")) > before })
	if !strings.Contains(body, "aiperf_exporter_config_last_reload_successful 0") || strings.Contains(body, `scenario="third"`) {
		t.Errorf("after a failed reload:\n%s", grep(body, "aiperf_exporter_config", `scenario="third"`))
	}
	if code, _ := get(t, base+"/-/reload", nil); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /-/reload: %d, want 405", code)
	}
}

// Without --web.enable-lifecycle, POST /-/reload is refused and changes nothing.
func TestReloadEndpointNeedsLifecycleFlag(t *testing.T) {
	base, file := reloadApp(t, "scenarios:\n  - name: first\n", false)
	writeFile(t, file, "scenarios:\n  - name: second\n")
	if code, msg := post(t, base+"/-/reload"); code != http.StatusForbidden || !strings.Contains(msg, "--web.enable-lifecycle") {
		t.Errorf("POST /-/reload without the flag: %d %q, want 403 naming the flag", code, msg)
	}
	body := waitMetrics(t, base, "first success", func(b string) bool { return hasPositive(b, successes("first")) })
	if strings.Contains(body, `scenario="second"`) {
		t.Error("the refused reload loaded the new file")
	}
}

func hasPositive(body, series string) bool {
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			return v != "0"
		}
	}
	return false
}

func value(t *testing.T, body, series string) float64 {
	t.Helper()
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			var f float64
			if _, err := fmt.Sscan(v, &f); err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			return f
		}
	}
	return -1
}
