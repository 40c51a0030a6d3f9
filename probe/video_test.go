package probe_test

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/tokens"
)

// With --download-video-content each video job's content is read from the
// mock after it completes, inside the request: the mock counts one download
// and at least one status poll per request. The mock encodes its MP4 with
// ffmpeg.
func TestVideoJobDownload(t *testing.T) {
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("no ffmpeg on PATH: the mock has no video to serve")
	}
	recs, truths := endpointRun(t, 3, "--endpoint-type", "video_generation", "--download-video-content")
	for _, r := range recs {
		tr := truths[r.RequestID]
		if !r.Valid() || len(r.Responses) != 2 || tr.Downloads != 1 || tr.Polls < 1 {
			t.Fatalf("record valid %v, %d responses; the mock saw %d polls, %d downloads; want valid, 2, >=1, 1",
				r.Valid(), len(r.Responses), tr.Polls, tr.Downloads)
		}
		if r.EndOffset < r.Responses[1].Offset {
			t.Fatalf("latency %v ends before the job completed (%v): the download is inside it", r.EndOffset, r.Responses[1].Offset)
		}
	}
}

// A job the server reports failed, a create answer without an id, or a job
// answer over its 1 MiB bound is an error record naming it, as AIPerf's
// VideoGenerationError (500); a job still running at the request timeout is
// a timeout.
func TestVideoJobFailures(t *testing.T) {
	cases := []struct {
		name, create, poll, want string
		reason                   record.Reason
	}{
		{"failed", `{"id":"j1","status":"queued"}`, `{"id":"j1","status":"failed","error":{"message":"out of memory"}}`,
			"video generation failed: out of memory", record.ReasonHTTPOther},
		{"no id", `{"status":"queued"}`, ``, "no job id", record.ReasonHTTPOther},
		{"never done", `{"id":"j1","status":"queued"}`, `{"id":"j1","status":"in_progress"}`, "timed out", record.ReasonTimeout},
		{"create over the bound", `{"id":"j1","status":"queued","pad":"` + strings.Repeat("x", 1<<20) + `"}`, ``,
			"video submit: the job answer is over its bound of 1 MiB", record.ReasonHTTPOther},
		{"poll over the bound", `{"id":"j1","status":"queued"}`, `{"id":"j1","status":"in_progress","pad":"` + strings.Repeat("x", 1<<20) + `"}`,
			"video poll: the job answer is over its bound of 1 MiB", record.ReasonHTTPOther},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				if r.Method == http.MethodPost {
					_, _ = io.WriteString(w, c.create)
					return
				}
				_, _ = io.WriteString(w, c.poll)
			}))
			defer srv.Close()
			timeout := time.Minute // never reached but by the job never done
			if c.reason == record.ReasonTimeout {
				timeout = 300 * time.Millisecond
			}
			rec := videoRun(t, srv.URL+"/v1/videos", func(cfg *probe.Config) { cfg.Timeout = timeout })
			if rec.Error == nil || !strings.Contains(rec.Error.Message, c.want) || rec.Reason != c.reason {
				t.Fatalf("error %+v (reason %q), want one containing %q (%q)", rec.Error, rec.Reason, c.want, c.reason)
			}
		})
	}
}

// Job answers a proxy gzipped (create and polls) are read as every other
// answer is: the job is followed to completion.
func TestVideoJobGzippedAnswers(t *testing.T) {
	polls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		answer := `{"id":"j1","status":"queued"}`
		if r.Method == http.MethodGet {
			if polls++; polls > 1 {
				answer = `{"id":"j1","status":"completed"}`
			}
		}
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = io.WriteString(zw, answer)
		_ = zw.Close()
	}))
	defer srv.Close()
	rec := videoRun(t, srv.URL+"/v1/videos", func(c *probe.Config) { c.Timeout = time.Minute })
	if rec.Error != nil || len(rec.Responses) != 2 {
		t.Fatalf("error %+v, %d responses; want the gzipped job followed to completion (2 responses)", rec.Error, len(rec.Responses))
	}
}

// A poll answered with an HTTP error is recorded with that status, its
// reason, its Retry-After and its body's text (gunzipped when a proxy
// gzipped it), as any request's error answer.
func TestVideoJobPollStatus(t *testing.T) {
	cases := []struct {
		name       string
		poll       http.HandlerFunc
		code       int
		retryAfter time.Duration
		text       string
	}{
		{"429 with Retry-After", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "7")
			http.Error(w, `{"error":"slow down"}`, http.StatusTooManyRequests)
		}, http.StatusTooManyRequests, 7 * time.Second, `{"error":"slow down"}`},
		{"404 a proxy gzipped", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			w.WriteHeader(http.StatusNotFound)
			zw := gzip.NewWriter(w)
			_, _ = io.WriteString(zw, `{"error":"no such job"}`)
			_ = zw.Close()
		}, http.StatusNotFound, 0, `{"error":"no such job"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				if r.Method == http.MethodPost {
					_, _ = io.WriteString(w, `{"id":"j1","status":"queued"}`)
					return
				}
				c.poll(w, r)
			}))
			defer srv.Close()
			rec := videoRun(t, srv.URL+"/v1/videos")
			if rec.Error == nil || rec.Error.Code != c.code || rec.Reason != record.ReasonHTTP4xx || rec.RetryAfter != c.retryAfter ||
				!strings.Contains(rec.Error.Message, c.text) {
				t.Fatalf("error %+v, reason %q, Retry-After %v; want %d, %q, %v, a message with %s",
					rec.Error, rec.Reason, rec.RetryAfter, c.code, record.ReasonHTTP4xx, c.retryAfter, c.text)
			}
		})
	}
}

// A completed job's url is where its video is downloaded from; a link to
// another host is sent none of the run's headers (its API key).
func TestVideoJobDownloadFromItsURL(t *testing.T) {
	var mu sync.Mutex
	var gotAuth, gotPath string
	store := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotAuth, gotPath = r.Header.Get("Authorization"), r.URL.Path
		mu.Unlock()
		_, _ = io.WriteString(w, "mp4 bytes")
	}))
	defer store.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.Method == http.MethodPost {
			_, _ = io.WriteString(w, `{"id":"j1","status":"queued"}`)
			return
		}
		_, _ = io.WriteString(w, `{"id":"j1","status":"completed","url":"`+store.URL+`/bucket/j1.mp4"}`)
	}))
	defer api.Close()
	rec := videoRun(t, api.URL+"/v1/videos", func(c *probe.Config) {
		c.DownloadVideo, c.Header = true, http.Header{"Authorization": {"Bearer sekret"}}
	})
	mu.Lock()
	defer mu.Unlock()
	if rec.Error != nil || gotPath != "/bucket/j1.mp4" || gotAuth != "" {
		t.Fatalf("error %+v; the store saw %q with Authorization %q; want the job's url, no credentials", rec.Error, gotPath, gotAuth)
	}
}

// videoRun sends one video_generation request to url, polling every
// millisecond, with a 300 ms timeout; set, if given, changes the config.
func videoRun(t *testing.T, url string, set ...func(*probe.Config)) *record.Record {
	t.Helper()
	_, ds := probe.BuildFromArgs(t, "-m", "m", "--endpoint-type", "video_generation", "--isl", "4")
	cfg := probe.Config{Targets: []probe.Target{{Name: "t", URL: url}}, EndpointType: "video_generation",
		Timeout: 300 * time.Millisecond, VideoPoll: time.Millisecond, Concurrency: 1, RequestCount: 1, Counter: tokens.Words{}}
	for _, f := range set {
		f(&cfg)
	}
	var got *record.Record
	if err := probe.Run(context.Background(), cfg, ds, func(r *record.Record) { got = r }); err != nil {
		t.Fatal(err)
	}
	if got == nil {
		t.Fatal("no record")
	}
	return got
}

// The run's own credentials (--api-key, here a bearer token the client adds
// below the request's headers) never go to a storage host the job links to.
func TestVideoJobDownloadKeepsTheAPIKey(t *testing.T) {
	seen := make(chan string, 1)
	store := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Get("Authorization")
		_, _ = io.WriteString(w, "mp4 bytes")
	}))
	defer store.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.Header.Get("Authorization") != "Bearer sk-video-0123456789" {
			http.Error(w, "no key", http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost {
			_, _ = io.WriteString(w, `{"id":"j1","status":"queued"}`)
			return
		}
		_, _ = io.WriteString(w, `{"id":"j1","status":"completed","url":"`+store.URL+`/bucket/j1.mp4"}`)
	}))
	defer api.Close()
	o := &options.Options{Models: []string{"m"}, URLs: []string{api.URL}, EndpointType: "video_generation", RequestCount: 1,
		Concurrency: 1, RequestTimeout: 10, APIKey: "sk-video-0123456789", DownloadVideoContent: true}
	cfg, err := probe.ConfigFrom(o, "t")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Counter, cfg.VideoPoll = tokens.Words{}, time.Millisecond
	_, ds := probe.BuildFromArgs(t, "-m", "m", "--endpoint-type", "video_generation", "--isl", "4")
	var got *record.Record
	if err := probe.Run(context.Background(), cfg, ds, func(r *record.Record) { got = r }); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Error != nil {
		t.Fatalf("record %+v", got)
	}
	if auth := <-seen; auth != "" {
		t.Fatalf("the store got Authorization %q", auth)
	}
}
