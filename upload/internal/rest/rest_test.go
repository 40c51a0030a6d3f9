package rest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
)

// A reply longer than MaxReply is read up to MaxReply; the status comes back
// as the server sent it.
func TestDoCapsTheReply(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		w.Write(bytes.Repeat([]byte("x"), MaxReply+100))
	}))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	status, body, err := Do(srv.Client(), req, "get")
	if err != nil || status != http.StatusTeapot || len(body) != MaxReply {
		t.Errorf("Do = %d, %d bytes, %v; want 418, %d bytes", status, len(body), err, MaxReply)
	}
}

// A server that cannot be reached is an error naming the call, without the
// URL's password or signature.
func TestDoHidesTheURL(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	u := strings.Replace(srv.URL, "http://", "http://user:s3cret@", 1) + "/file?X-Amz-Signature=sig42"
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = Do(http.DefaultClient, req, "upload x")
	if err == nil || !strings.HasPrefix(err.Error(), "upload x: ") || strings.Contains(err.Error(), "s3cret") || strings.Contains(err.Error(), "sig42") {
		t.Errorf("Do error %v, want one naming the call and hiding the URL", err)
	}
}

func TestExcerpt(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"  not found\n", "not found"},
		{strings.Repeat("a", 250), strings.Repeat("a", 200)},
		{strings.Repeat(" ", 199) + "ab", "a"},
		// an HTML error page stays one line
		{"<html>\r\n<body>bad\tgateway\x1b[2J</body>\n</html>\n", `<html>\r\n<body>bad\tgateway\x1b[2J</body>\n</html>`},
		// a character across the cut is left out whole, not split
		{strings.Repeat("a", 199) + "é", strings.Repeat("a", 199)},
		{strings.Repeat("a", 198) + "€", strings.Repeat("a", 198)},
	} {
		if got := Excerpt([]byte(c.in)); got != c.want {
			t.Errorf("Excerpt(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// NewJSON's request, as a server receives it: a GET without a body for nil,
// else a POST of the JSON.
func TestNewJSON(t *testing.T) {
	type got struct{ method, contentType, body string }
	seen := make(chan got, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen <- got{r.Method, r.Header.Get("Content-Type"), string(b)}
	}))
	defer srv.Close()
	for _, c := range []struct {
		in   any
		want got
	}{
		{nil, got{"GET", "", ""}},
		{map[string]any{"a": 1}, got{"POST", "application/json", `{"a":1}`}},
	} {
		req, err := NewJSON(context.Background(), srv.URL, c.in)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := Do(srv.Client(), req, "call"); err != nil {
			t.Fatal(err)
		}
		if g := <-seen; g != c.want {
			t.Errorf("NewJSON(%v) sent %+v, want %+v", c.in, g, c.want)
		}
	}
	if _, err := NewJSON(context.Background(), srv.URL, map[string]any{"c": make(chan int)}); err == nil {
		t.Error("a value JSON cannot carry: no error")
	}
}

// A file body opened with boundedfile is sent with its length, not chunked.
func TestFileBody(t *testing.T) {
	name := filepath.Join(t.TempDir(), "f.json")
	if err := os.WriteFile(name, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	seen := make(chan int64, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if len(r.TransferEncoding) > 0 || int64(len(b)) != r.ContentLength {
			seen <- -1
			return
		}
		seen <- r.ContentLength
	}))
	defer srv.Close()
	f, size, err := boundedfile.Open(name, MaxFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	req, err := http.NewRequest(http.MethodPut, srv.URL, f)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = size
	if _, _, err := Do(srv.Client(), req, "put"); err != nil {
		t.Fatal(err)
	}
	if n := <-seen; n != 10 {
		t.Errorf("the server got Content-Length %d, want 10", n)
	}
	if _, _, err := boundedfile.Open(filepath.Join(t.TempDir(), "absent"), MaxFile); err == nil {
		t.Error("an absent file: no error")
	}
}
