package testkit

import (
	"io"
	"net/http"
	"testing"
)

// Get GETs url with the request headers header (nil for none) and returns the
// response, its body already read and closed, and the body; a request that
// fails or a body that cannot be read fails the test.
func Get(t testing.TB, url string, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}
