package mockserver

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// Every endpoint type of the table is served at its paths, listed on the
// index page and refused while the model loads; an unknown path is not.
func TestEveryEndpointTypeIsRouted(t *testing.T) {
	srv := start(t, Config{})
	_, index := testkit.Get(t, srv.URL+"/", nil)
	loading := start(t, Config{LoadingFor: time.Hour})
	for _, ty := range endpoint.All() {
		for _, path := range []string{ty.Path, ty.StreamPath} {
			if path == "" {
				continue
			}
			resp, _ := postRaw(t, srv.URL+path, "", "application/json", []byte("{}"))
			if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed {
				t.Errorf("%s: POST %s is %d: not routed", ty.Name, path, resp.StatusCode)
			}
			if !strings.Contains(index, "POST "+path+"\n") {
				t.Errorf("%s: the index page does not list POST %s:\n%s", ty.Name, path, index)
			}
			if resp, _ := postRaw(t, loading.URL+path, "", "application/json", []byte("{}")); resp.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("%s: POST %s while loading is %d, want 503", ty.Name, path, resp.StatusCode)
			}
		}
	}
	if resp, _ := postRaw(t, srv.URL+"/v1/nothing", "", "application/json", []byte("{}")); resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST /v1/nothing is %d, want 404", resp.StatusCode)
	}
}
