package probe

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// endless yields its pattern forever: a server that never ends a line or a body.
type endless struct {
	pattern []byte
	off     int
}

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.pattern[e.off]
		e.off = (e.off + 1) % len(e.pattern)
	}
	return len(p), nil
}

// A line without end, or a stream of endless lines, stops at its bound with an
// error naming it; reading goes no further.
func TestStreamBounds(t *testing.T) {
	lowerLimits(t)
	cases := []struct {
		name    string
		body    io.Reader
		want    string
		maxRead int
	}{
		{"one endless line", &endless{pattern: []byte("data: aaaaaaaaaaaaaaa")}, "an SSE line is longer than the client's limit of 1 MiB", maxLineBytes + 8<<10},
		{"endless short lines", &endless{pattern: []byte(": " + strings.Repeat("k", 4000) + "\n")}, "the response is larger than the client's limit of 4 MiB", maxResponseBytes + 8<<10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			counted := &countingReader{r: c.body}
			s := &stream{}
			s.reset(time.Now())
			err := s.read(bufio.NewReaderSize(counted, workerReadBuffer))
			if !errors.As(err, new(refusedError)) || err.Error() != c.want {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if counted.n > c.maxRead {
				t.Errorf("read %d bytes, bound is %d", counted.n, c.maxRead)
			}
		})
	}
}

// lowerLimits makes the response bounds small for the test (the defaults take
// seconds of reading under the race detector).
func lowerLimits(t *testing.T) {
	line, resp := maxLineBytes, maxResponseBytes
	maxLineBytes, maxResponseBytes = 1<<20, 4<<20
	t.Cleanup(func() { maxLineBytes, maxResponseBytes = line, resp })
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// Lines may end in a bare CR (the SSE specification allows CR, LF and CRLF),
// also when the CR and a following LF arrive in different reads.
func TestStreamBareCR(t *testing.T) {
	event := `data: {"choices":[{"delta":{"content":"hi"}}]}`
	for _, eol := range []string{"\r", "\n", "\r\n"} {
		body := ": comment" + eol + event + eol + eol + event + eol + eol + "data: [DONE]" + eol + eol
		for _, size := range []int{16, 17, 18, 4096} { // 16 is bufio's smallest: CR and LF split across reads
			s := &stream{}
			s.reset(time.Now())
			if err := s.read(bufio.NewReaderSize(strings.NewReader(body), size)); err != nil {
				t.Fatal(err)
			}
			if len(s.responses) != 2 || string(s.answer) != "hihi" || !s.done || s.skipped != 0 {
				t.Errorf("eol %q, buffer %d: %d responses, answer %q, done %v, skipped %d", eol, size, len(s.responses), s.answer, s.done, s.skipped)
			}
		}
	}
}

// A huge line's buffers are dropped after the request: the worker goes back
// to its pool holding no more than keepBytes per buffer.
func TestStreamReleasesHugeBuffers(t *testing.T) {
	huge := `data: {"choices":[{"delta":{"content":"` + strings.Repeat("x", 8<<20) + `"}}]}` + "\n\ndata: [DONE]\n\n"
	s := &stream{}
	s.reset(time.Now())
	if err := s.read(bufio.NewReaderSize(strings.NewReader(huge), workerReadBuffer)); err != nil {
		t.Fatal(err)
	}
	if len(s.answer) != 8<<20 {
		t.Fatalf("answer of %d bytes", len(s.answer))
	}
	s.release()
	for name, c := range map[string]int{"answer": cap(s.answer), "data": cap(s.data), "long": cap(s.long)} {
		if c > keepBytes {
			t.Errorf("%s keeps %d bytes after release", name, c)
		}
	}
	if s.longSpill.mem != nil || s.bodySpill.mem != nil {
		t.Error("a spill's mapping outlived the release")
	}
}

// An endless 200 body (not streamed) ends as an error record naming the
// bound, and the next request of the run is measured as usual.
func TestEndlessBodyIsAnErrorRecord(t *testing.T) {
	lowerLimits(t)
	var n int
	var mu sync.Mutex
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if first {
			_, _ = io.Copy(w, &endless{pattern: []byte(`{"x":"aaaaaaaa`)})
			return
		}
		_, _ = io.WriteString(w, `{"choices":[{"message":{"content":"fine"}}]}`)
	})
	recs := runHandler(t, h, Config{Concurrency: 1, RequestCount: 2})
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	var bad, good int
	for _, r := range recs {
		switch {
		case r.Error != nil && strings.Contains(r.Error.Message, "limit of 4 MiB") && r.Reason == record.ReasonStreamError:
			bad++
		case r.Valid():
			good++
		default:
			t.Errorf("record %+v %+v", r, r.Error)
		}
	}
	if bad != 1 || good != 1 {
		t.Errorf("%d bounded errors and %d valid records, want 1 and 1", bad, good)
	}
}

// A gzip-encoded stream (a proxy compressing although we asked for nothing)
// is decoded; an encoding we cannot read is named in the error.
func TestContentEncoding(t *testing.T) {
	sse := "data: {\"choices\":[{\"delta\":{\"content\":\"zip\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
	gz := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = io.WriteString(zw, sse)
		_ = zw.Close()
	})
	for _, r := range runHandler(t, gz, Config{Concurrency: 1, RequestCount: 2, Streaming: true}) {
		if !r.Valid() || len(r.Responses) != 1 {
			t.Errorf("gzip stream: %+v %+v", r, r.Error)
		}
	}
	br := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Content-Encoding", "br")
		_, _ = io.WriteString(w, "\x1b\x00garbage")
	})
	for _, r := range runHandler(t, br, Config{Concurrency: 1, RequestCount: 1, Streaming: true}) {
		if r.Error == nil || !strings.Contains(r.Error.Message, `Content-Encoding "br"`) {
			t.Errorf("br: %+v", r.Error)
		}
	}
}

// An endless error body: at most maxErrorBody of it becomes the message, and
// the request ends (the rest is never read).
func TestEndlessErrorBody(t *testing.T) {
	// "xé" is 3 bytes: 2048 bytes of it end inside an é, which the message
	// must not keep half of.
	for _, pattern := range []string{"overloaded ", "xé"} {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.Copy(w, &endless{pattern: []byte(pattern)})
		})
		for _, r := range runHandler(t, h, Config{Concurrency: 1, RequestCount: 2, Streaming: true}) {
			if r.Error == nil || r.Error.Code != http.StatusServiceUnavailable || len(r.Error.Message) > maxErrorBody || !utf8.ValidString(r.Error.Message) {
				t.Errorf("%q: record error %+v", pattern, r.Error)
			}
		}
	}
}
