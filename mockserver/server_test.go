package mockserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, body := testkit.Get(t, url, nil)
	return resp, []byte(body)
}

func TestConfigureSwitchesBehaviour(t *testing.T) {
	srv := start(t, Config{OutputTokens: 2})
	url := srv.URL + "/v1/chat/completions"
	if resp, _ := post(t, url, "", chatBody("a", false, nil)); resp.StatusCode != 200 {
		t.Fatalf("healthy server answered %d", resp.StatusCode)
	}
	srv.Server.Configure(Config{Faults: Faults{Error500: 1}})
	if resp, _ := post(t, url, "", chatBody("a", false, nil)); resp.StatusCode != 500 {
		t.Errorf("after Configure(Error500: 1): %d", resp.StatusCode)
	}
	// POST /configure merges: only the named fields change.
	resp, body := postRaw(t, srv.URL+"/configure", "", "application/json", []byte(`{"faults":{"error500":0},"ttft_ms":30,"output_tokens":3}`))
	if resp.StatusCode != 200 {
		t.Fatalf("configure: %d %s", resp.StatusCode, body)
	}
	cfg := srv.Server.config()
	if cfg.TTFT != 30*time.Millisecond || cfg.OutputTokens != 3 || cfg.Faults.Error500 != 0 {
		t.Errorf("config after POST /configure: %+v", cfg)
	}
	start := time.Now()
	resp, body = post(t, url, "", chatBody("a", false, nil))
	if resp.StatusCode != 200 || time.Since(start) < 30*time.Millisecond || !strings.Contains(string(body), `"completion_tokens":3`) {
		t.Errorf("after reconfigure: %d in %v: %s", resp.StatusCode, time.Since(start), body)
	}
	postRaw(t, srv.URL+"/configure", "", "application/json", []byte(`{"error_rate":1}`))
	if resp, _ := post(t, url, "", chatBody("a", false, nil)); resp.StatusCode != 500 {
		t.Errorf("after error_rate 1: %d", resp.StatusCode)
	}
	_, body = get(t, srv.URL+"/configure")
	var j configJSON
	if err := json.Unmarshal(body, &j); err != nil || j.TTFTms != 30 || j.Faults.Error500 != 1 {
		t.Errorf("GET /configure = %s (%v)", body, err)
	}
}

func TestConfigureRejects(t *testing.T) {
	srv := start(t, Config{})
	for body, want := range map[string]string{
		`{"ttft":5}`:                  "unknown field",
		`{"faults":{"truncate":2}}`:   "fault truncate: probability 2 is not within 0..1",
		`{"itl_ms":-1}`:               "durations must not be negative",
		`not json`:                    "bad JSON",
		`{"faults":{"stall_ms":"x"}}`: "bad JSON",
		`{"reasoning_tokens":-3}`:     "token counts must not be negative",
	} {
		resp, out := postRaw(t, srv.URL+"/configure", "", "application/json", []byte(body))
		if resp.StatusCode != 400 || !strings.Contains(string(out), want) {
			t.Errorf("POST /configure %s: %d %s, want 400 %q", body, resp.StatusCode, out, want)
		}
	}
}

func TestInfoEndpoints(t *testing.T) {
	srv := start(t, Config{Models: []string{"Qwen/Qwen2.5-Omni-3B"}})
	resp, body := get(t, srv.URL+"/health")
	if resp.StatusCode != 200 || string(body) != "ok\n" {
		t.Errorf("/health: %d %q", resp.StatusCode, body)
	}
	resp, body = get(t, srv.URL+"/v1/models")
	var models struct {
		Object string
		Data   []struct{ ID, Object string }
	}
	if err := json.Unmarshal(body, &models); err != nil || resp.StatusCode != 200 || models.Object != "list" ||
		len(models.Data) != 1 || models.Data[0].ID != "Qwen/Qwen2.5-Omni-3B" {
		t.Errorf("/v1/models: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, srv.URL+"/")
	if resp.StatusCode != 200 || !strings.Contains(string(body), "/v1/chat/completions") {
		t.Errorf("/: %d %s", resp.StatusCode, body)
	}
	if resp, _ = get(t, srv.URL+"/nope"); resp.StatusCode != 404 {
		t.Errorf("/nope: %d", resp.StatusCode)
	}
}
