package probe

import (
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// writeGzipped answers body gzipped with status code, as a compressing proxy
// does although the client asked for no encoding.
func writeGzipped(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Encoding", "gzip")
	w.WriteHeader(code)
	zw := gzip.NewWriter(w)
	_, _ = zw.Write([]byte(body))
	_ = zw.Close()
}

// The readiness model list is read gunzipped, as every answer is; a list
// longer than the bound is an error naming it, not a cut list that fails to
// parse.
func TestReadyModelListGzipped(t *testing.T) {
	cases := []struct {
		name, list, err string
	}{
		{"gzipped list", `{"object":"list","data":[{"id":"m"}]}`, ""},
		{"over the bound", `{"data":[{"id":"m"}],"pad":"` + strings.Repeat("x", maxReadyBody) + `"}`, "1048576 bytes"},
	}
	// The run's client asks for no encoding, so net/http does not gunzip.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	for _, c := range cases {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { writeGzipped(w, http.StatusOK, c.list) }))
		r := Readiness{Mode: "models", Models: []string{"m"}, EndpointPath: "/v1/chat/completions"}
		_, err := checkReady(context.Background(), client, nil, Target{URL: srv.URL + "/v1/chat/completions"}, r)
		srv.Close()
		if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.err)
		}
	}
	client.CloseIdleConnections()
}

// An error answer's body is its message gunzipped; a long one is cut at
// maxErrorBody.
func TestErrorBodyGzipped(t *testing.T) {
	long := strings.Repeat("y", maxErrorBody+10)
	cases := []struct {
		name, body, want string
	}{
		{"gzipped", `{"error":"overloaded"}`, `{"error":"overloaded"}`},
		{"over the bound", long, long[:maxErrorBody]},
	}
	for _, c := range cases {
		h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { writeGzipped(w, http.StatusServiceUnavailable, c.body) })
		recs := runHandler(t, h, Config{Concurrency: 1, RequestCount: 1})
		if len(recs) != 1 || recs[0].Error == nil || recs[0].Error.Code != 503 || recs[0].Error.Message != c.want {
			t.Errorf("%s: %d records, first error %+v; want 503 %q", c.name, len(recs), recs[0].Error, c.want)
		}
	}
}
