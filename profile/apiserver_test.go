package profile

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
)

func TestAPIAddr(t *testing.T) {
	cases := []struct {
		args []string
		want string
		bad  string
	}{
		{nil, "", ""},
		{[]string{"--api-port", "9911"}, "127.0.0.1:9911", ""},
		{[]string{"--api-port", "9911", "--api-host", "::1"}, "[::1]:9911", ""},
		{[]string{"--api-host", "0.0.0.0"}, "", "api-host"},
		{[]string{"--api-port", "70000"}, "", "api-port"},
	}
	for _, c := range cases {
		got, err := apiAddr(parsedProfile(t, c.args...))
		switch {
		case c.bad != "" && !namesFlag(err, c.bad):
			t.Errorf("%v: got %q, %v; want an error naming --%s", c.args, got, err, c.bad)
		case c.bad == "" && (err != nil || got != c.want):
			t.Errorf("%v: got %q, %v; want %q", c.args, got, err, c.want)
		}
	}
}

func get(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, rec.Code)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

// /api/progress and /metrics tell the same counts, phase by phase; the
// exposition passes promtool's linter.
func TestAPIHandler(t *testing.T) {
	prog := newProgress(io.Discard, 4)
	h := apiHandler(prog)
	phase := func() apiProgress {
		var p apiProgress
		if err := json.Unmarshal([]byte(get(t, h, "/api/progress")), &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := phase(); p.Phase != "warmup" || p.RequestsCompleted != 0 || p.RequestsTotal == nil || *p.RequestsTotal != 4 {
		t.Errorf("before the run: %+v", p)
	}
	prog.start()
	prog.onProfiling(nil)()
	prog.done(true)
	prog.done(true)
	prog.done(false)
	if p := phase(); p.Phase != "profiling" || p.RequestsCompleted != 3 || p.RequestsFailed != 1 {
		t.Errorf("during the run: %+v", p)
	}
	metrics := get(t, h, "/metrics")
	for _, want := range []string{`aiperf_profile_requests_total{outcome="success"} 2`, `aiperf_profile_requests_total{outcome="error"} 1`,
		"aiperf_profile_requests_planned 4"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics has no %q:\n%s", want, metrics)
		}
	}
	prog.setPhase(false, true)
	if p := phase(); p.Phase != "complete" {
		t.Errorf("after the run: %+v", p)
	}
	const promtool = "/usr/bin/promtool"
	if _, err := os.Stat(promtool); err != nil {
		t.Skipf("promtool not installed: %v", err)
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader([]byte(metrics))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}
}
