package main

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestModesAreBounded sends one request per mode, in the server's cycle, and
// checks each answer's shape and that it ends by itself within its limits.
func TestModesAreBounded(t *testing.T) {
	lim := limits{maxBytes: 1 << 20, maxTime: 300 * time.Millisecond}
	srv := httptest.NewServer(&server{lim: lim})
	defer srv.Close()
	tr := &http.Transport{DisableCompression: true} // see the gzip as sent
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	tests := []struct {
		mode   string
		status int
		check  func(t *testing.T, resp *http.Response, body []byte)
	}{
		{"endless_line", 200, func(t *testing.T, _ *http.Response, body []byte) {
			if strings.Contains(string(body), "\n") || int64(len(body)) < lim.maxBytes {
				t.Errorf("want one line of at least %d bytes, got %d bytes", lim.maxBytes, len(body))
			}
		}},
		{"endless_body", 200, func(t *testing.T, _ *http.Response, body []byte) {
			if int64(len(body)) < lim.maxBytes {
				t.Errorf("body of %d bytes, want at least %d", len(body), lim.maxBytes)
			}
		}},
		{"gzip", 200, func(t *testing.T, resp *http.Response, body []byte) {
			if resp.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("Content-Encoding %q", resp.Header.Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(strings.NewReader(string(body)))
			if err != nil {
				t.Fatal(err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil || !strings.HasSuffix(string(plain), "data: [DONE]\n\n") {
				t.Errorf("decoded %q, %v", plain, err)
			}
		}},
		{"bare_cr", 200, func(t *testing.T, _ *http.Response, body []byte) {
			if strings.Contains(string(body), "\n") || !strings.HasSuffix(string(body), "data: [DONE]\r\r") {
				t.Errorf("want lines ended by bare CR, got %q", body)
			}
		}},
		{"stall", 200, func(t *testing.T, _ *http.Response, body []byte) {
			if strings.Count(string(body), "data: ") != 1 {
				t.Errorf("want one event before the stall, got %q", body)
			}
		}},
		{"huge_error", 500, func(t *testing.T, _ *http.Response, body []byte) {
			if int64(len(body)) < lim.maxBytes {
				t.Errorf("error body of %d bytes, want at least %d", len(body), lim.maxBytes)
			}
		}},
	}
	for i, tt := range tests {
		if modes[i] != tt.mode {
			t.Fatalf("mode %d is %q, the test expects %q", i, modes[i], tt.mode)
		}
		t.Run(tt.mode, func(t *testing.T) {
			resp, err := client.Post(srv.URL+"/v1/chat/completions", "application/json", strings.NewReader(`{}`))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			// Reading to the end proves the answer ends: bytes or time run out.
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			if int64(len(body)) > lim.maxBytes+64<<10+100 {
				t.Errorf("%d bytes, above the limit of %d", len(body), lim.maxBytes)
			}
			tt.check(t, resp, body)
		})
	}
}

// TestEndlessStopsWhenClientHangsUp: a client that reads a little and closes
// frees the server at once, long before its limits.
func TestEndlessStopsWhenClientHangsUp(t *testing.T) {
	done := make(chan struct{})
	s := &server{lim: limits{maxBytes: 1 << 40, maxTime: time.Hour}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(done)
		s.ServeHTTP(w, r)
	}))
	defer srv.Close()
	resp, err := http.Post(srv.URL, "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	io.CopyN(io.Discard, resp.Body, 1<<20)
	resp.Body.Close()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the endless answer went on after the client hung up")
	}
}

func TestListenLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "example.com:80", "192.0.2.1:0"} {
		if ln, err := listenLoopback(addr); err == nil {
			ln.Close()
			t.Errorf("%s: listening allowed", addr)
		}
	}
	ln, err := listenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
}

// -modes picks the cycle; an unknown mode is refused by name.
func TestParseModes(t *testing.T) {
	cycle, err := parseModes("stall, gzip")
	if err != nil || len(cycle) != 2 || modes[cycle[0]] != "stall" || modes[cycle[1]] != "gzip" {
		t.Errorf("got %v, %v", cycle, err)
	}
	if cycle, err := parseModes(""); err != nil || cycle != nil {
		t.Errorf("empty list: %v, %v; want every mode (nil)", cycle, err)
	}
	if _, err := parseModes("gzip,nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("unknown mode: %v", err)
	}
	srv := httptest.NewServer(&server{lim: limits{maxBytes: 1 << 10, maxTime: time.Second}, cycle: []int{slices.Index(modes, "huge_error")}})
	defer srv.Close()
	for range 2 {
		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 500 {
			t.Errorf("status %d, want every answer from the one mode chosen (500)", resp.StatusCode)
		}
	}
}
