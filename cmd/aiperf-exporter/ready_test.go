package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// profile --wait-for-model-timeout against a model that stays loading: exit 1
// and one line naming the URL and the timeout; against one that finishes
// loading within the timeout: the run goes ahead.
func TestProfileWaitsForModel(t *testing.T) {
	for _, tc := range []struct {
		name    string
		loading time.Duration
		timeout string
		code    int
	}{
		{"never ready", time.Hour, "0.3", 1},
		{"ready in time", 200 * time.Millisecond, "60", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mocktest.Start(t, mockserver.Config{OutputTokens: 2, Models: []string{"m"}, LoadingFor: tc.loading})
			code, _, errOut, _ := profileInDir(t, "--model", "m", "--url", m.URL, "--streaming", "--request-count", "2",
				"--wait-for-model-timeout", tc.timeout, "--wait-for-model-interval", "0.05", "--wait-for-model-mode", "both")
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, errOut)
			}
			if tc.code == 0 {
				return
			}
			want := "aiperf-exporter profile: model not ready at " + m.URL + "/v1/models after --wait-for-model-timeout 300ms: HTTP 503\n"
			if !strings.HasSuffix(errOut, want) || strings.Count(errOut, "not ready") != 1 {
				t.Errorf("stderr %q\nwant it to end in %q", errOut, want)
			}
		})
	}
}

// serve waits for the model before a scenario's first probe: while the target
// is loading it logs one line naming the URL and the timeout and sends no
// request; once the target is ready, the probes run and succeed.
func TestServeWaitsForModel(t *testing.T) {
	m := mocktest.Start(t, mockserver.Config{OutputTokens: 2, LoadingFor: time.Hour})
	base, logs := startServe(t, "--model", "m", "--url", m.URL, "--streaming", "--concurrency", "1",
		"--wait-for-model-timeout", "0.3", "--wait-for-model-interval", "0.05", "--wait-for-model-mode", "health")
	got := waitLogField(t, logs, "engine failed; restarting", "error")
	if want := "model not ready at " + m.URL + "/health after --wait-for-model-timeout 300ms: HTTP 503"; got != want {
		t.Errorf("logged %q, want %q", got, want)
	}
	_, body := httpGet(t, base+"/metrics")
	if n, _ := sampleSum(body, "aiperf_requests_total"); n > 0 {
		t.Fatalf("%g requests sent while the model was loading", n)
	}
	resp, err := http.Post(m.URL+"/configure", "application/json", strings.NewReader(`{"loading_ms":0}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	waitMetrics(t, base, logs, "successful probes", func(body string) bool {
		n, _ := sampleSum(body, "aiperf_requests_total")
		e, _ := sampleSum(body, "aiperf_request_errors_total")
		return n >= 2 && e == 0
	})
}

// With --mock and a --model of its own, the embedded mock lists that model
// at /v1/models, so waiting for it there succeeds (it never did: the mock
// listed only mock-model).
func TestMockListsTheRunsModels(t *testing.T) {
	wait := []string{"--wait-for-model-mode", "models", "--wait-for-model-timeout", "3", "--wait-for-model-interval", "0.05"}
	t.Run("profile", func(t *testing.T) {
		args := append([]string{"--mock", "--model", "other-model", "--streaming", "--request-count", "2"}, wait...)
		if code, _, errOut, _ := profileInDir(t, args...); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
	})
	t.Run("serve", func(t *testing.T) {
		args := append([]string{"--mock", "--model", "other-model", "--streaming", "--concurrency", "1", "--isl", "4"}, wait...)
		base, logs := startServe(t, args...)
		waitMetrics(t, base, logs, "successful probes", func(body string) bool {
			n, _ := sampleSum(body, "aiperf_requests_total")
			e, _ := sampleSum(body, "aiperf_request_errors_total")
			return n >= 2 && e == 0
		})
		if strings.Contains(logs.String(), "model not ready") {
			t.Errorf("the wait for the model failed:\n%.2000s", logs.String())
		}
	})
}
