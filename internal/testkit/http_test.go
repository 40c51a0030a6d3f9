package testkit

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Get sends the headers it is given and returns the status, the response's
// headers and the whole body.
func TestGet(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Echo", r.Header.Get("Accept"))
		w.WriteHeader(http.StatusTeapot)
		w.Write([]byte("body " + r.URL.Path))
	}))
	defer srv.Close()
	resp, body := Get(t, srv.URL+"/p", map[string]string{"Accept": "text/x"})
	if resp.StatusCode != http.StatusTeapot || resp.Header.Get("X-Echo") != "text/x" || body != "body /p" {
		t.Errorf("got %d %q %q", resp.StatusCode, resp.Header.Get("X-Echo"), body)
	}
}
