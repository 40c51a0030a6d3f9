package control

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// recorder is a loopback server that records every request it receives and
// answers each path with the status in codes (200 when absent).
type recorder struct {
	*httptest.Server
	mu    sync.Mutex
	got   []string // "METHOD /path auth=... body=..."
	codes map[string]int
	delay time.Duration
}

func newRecorder(t *testing.T, codes map[string]int) *recorder {
	r := &recorder{codes: codes}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, req.Method+" "+req.URL.Path+" auth="+req.Header.Get("Authorization")+" body="+string(body))
		delay := r.delay
		r.mu.Unlock()
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-req.Context().Done():
			}
		}
		if c, ok := r.codes[req.URL.Path]; ok {
			w.WriteHeader(c)
		}
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) requests() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

func poster(t *testing.T, urls ...string) *Poster {
	t.Helper()
	origins, err := Origins(urls)
	if err != nil {
		t.Fatal(err)
	}
	return &Poster{Client: http.DefaultClient, Header: http.Header{"Authorization": {"Bearer k"}}, Origins: origins}
}

// One empty POST with the run's headers to each server, however many of its
// URLs the run has.
func TestPostAllSendsOneEmptyPostPerOrigin(t *testing.T) {
	a, b := newRecorder(t, nil), newRecorder(t, nil)
	p := poster(t, a.URL+"/v1/chat/completions", a.URL+"/v1/other", b.URL+"/v1/chat/completions")
	if err := p.PostAll(context.Background(), DefaultResetPath, time.Second); err != nil {
		t.Fatal(err)
	}
	want := "POST /reset_prefix_cache auth=Bearer k body="
	for _, r := range []*recorder{a, b} {
		if got := r.requests(); len(got) != 1 || got[0] != want {
			t.Errorf("%s received %q, want one %q", r.URL, got, want)
		}
	}
}

// A server that refuses, or does not answer in time, is named in the error;
// the others are still asked.
func TestPostAllFailures(t *testing.T) {
	refusing := newRecorder(t, map[string]int{"/flush_cache": http.StatusNotFound})
	slow := newRecorder(t, nil)
	slow.delay = 2 * time.Second
	fine := newRecorder(t, nil)
	p := poster(t, refusing.URL, slow.URL, fine.URL)
	err := p.PostAll(context.Background(), "/flush_cache", 100*time.Millisecond)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"POST " + refusing.URL + "/flush_cache: HTTP 404", "POST " + slow.URL + "/flush_cache: no answer within 100ms"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if n := len(fine.requests()); n != 1 {
		t.Errorf("the third server got %d requests, want 1", n)
	}
}

// A start that fails on the second server stops the first (AIPerf's partial
// start) and names the failing one; a server never started gets no stop.
func TestStartAllStopsWhatItStartedOnFailure(t *testing.T) {
	a := newRecorder(t, nil)
	b := newRecorder(t, map[string]int{DefaultProfilerStartPath: http.StatusServiceUnavailable})
	c := newRecorder(t, nil)
	p := poster(t, a.URL, b.URL, c.URL)
	err := p.StartAll(context.Background(), DefaultProfilerStartPath, DefaultProfilerStopPath, time.Second)
	if err == nil || !strings.Contains(err.Error(), b.URL+"/start_profile: HTTP 503") {
		t.Fatalf("error %v, want the second server's 503", err)
	}
	paths := func(r *recorder) string {
		var out []string
		for _, g := range r.requests() {
			out = append(out, strings.Fields(g)[1])
		}
		return strings.Join(out, ",")
	}
	for r, want := range map[*recorder]string{a: "/start_profile,/stop_profile", b: "/start_profile", c: ""} {
		if got := paths(r); got != want {
			t.Errorf("%s received %q, want %q", r.URL, got, want)
		}
	}
}

func TestOrigins(t *testing.T) {
	got, err := Origins([]string{"http://h:8000/v1/chat/completions", "http://h:8000/x", "https://u:p@g/v1", "http://h:8001/v1"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://h:8000 https://u:p@g http://h:8001"; strings.Join(got, " ") != want {
		t.Errorf("origins %q, want %q", got, want)
	}
	if _, err := Origins([]string{"h:8000"}); err == nil {
		t.Error("a URL without a scheme has an origin")
	}
}

func TestCheckPath(t *testing.T) {
	for path, ok := range map[string]bool{
		"/reset_prefix_cache": true, "/v1/admin/start_profile": true,
		"reset_prefix_cache": false, "http://other/reset": false, "": false, "/x?u=http://e": false,
	} {
		if err := CheckPath(path); (err == nil) != ok {
			t.Errorf("CheckPath(%q) = %v, want ok %v", path, err, ok)
		}
	}
}
