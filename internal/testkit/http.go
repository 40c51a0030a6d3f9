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
	resp, err := http.DefaultClient.Do(GetRequest(t, url, header))
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

// GetRequest is a GET request for url with the request headers header, for a
// test that sends it through a client of its own; a bad URL fails the test.
func GetRequest(t testing.TB, url string, header map[string]string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return req
}
