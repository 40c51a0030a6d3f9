package mockserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// While loading, the mock refuses what a loading server cannot do (503), and
// serves again once a /configure ends the loading period; /configure itself
// and /metrics answer throughout.
func TestLoadingPeriod(t *testing.T) {
	srv := httptest.NewServer(New(Config{LoadingFor: time.Hour}, nil))
	defer srv.Close()
	do := func(method, path, body string) int {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	chat := `{"model":"m","messages":[{"role":"user","content":"hi"}]}`
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/health", ""}, {"GET", "/v1/models", ""}, {"POST", "/v1/chat/completions", chat},
	} {
		if got := do(c.method, c.path, c.body); got != http.StatusServiceUnavailable {
			t.Errorf("loading: %s %s answered %d, want 503", c.method, c.path, got)
		}
	}
	if got := do("GET", "/metrics", ""); got != http.StatusOK {
		t.Errorf("loading: /metrics answered %d", got)
	}
	if got := do("POST", "/configure", `{"output_tokens":2}`); got != http.StatusOK {
		t.Fatalf("configure answered %d", got)
	}
	if got := do("GET", "/health", ""); got != http.StatusServiceUnavailable {
		t.Errorf("a /configure of another setting ended the loading period (%d)", got)
	}
	if got := do("POST", "/configure", `{"loading_ms":0}`); got != http.StatusOK {
		t.Fatalf("configure answered %d", got)
	}
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/health", ""}, {"GET", "/v1/models", ""}, {"POST", "/v1/chat/completions", chat},
	} {
		if got := do(c.method, c.path, c.body); got != http.StatusOK {
			t.Errorf("loaded: %s %s answered %d, want 200", c.method, c.path, got)
		}
	}
}
