package probe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/httpclient"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// DefaultVideoPoll is the wait between a video job's status requests when
// Config.VideoPoll is 0.
const DefaultVideoPoll = 250 * time.Millisecond

// maxJobBody bounds a video job's JSON (create and status answers), after
// any gzip decoding; a longer one is an error naming it.
const maxJobBody = 1 << 20

// videoJobState is the part of a Videos API job the client reads (AIPerf's
// base_http_transport.py reads the same: id, status, error, url).
type videoJobState struct {
	ID     string          `json:"id"`
	Status string          `json:"status"`
	URL    string          `json:"url"`
	Error  json.RawMessage `json:"error"`
}

// videoJob follows a created video job as AIPerf's video polling does: the
// create answer (resp, already 200) gives the job id and is the first
// response; the job is polled at submit URL/id every poll interval until
// "completed" (the second response) or "failed" (an error, 500); with
// DownloadVideo its content is then read whole, from the job's url or
// /content. The request's timeout bounds it all. Job answers are decoded as
// JSON: a few per request, never per chunk.
func (e *engine) videoJob(ctx context.Context, rec *record.Record, resp *http.Response, since func() time.Duration, cancelAfter time.Duration) {
	fail := func(err error) {
		rec.EndOffset = since()
		if ctx.Err() != nil {
			e.fail(ctx, rec, err, "", cancelAfter)
			return
		}
		rec.Error, rec.Reason = &record.Error{Code: 500, Type: "VideoGenerationError", Message: err.Error()}, record.ReasonHTTPOther
		var se *statusError
		if errors.As(err, &se) { // a poll or download answered an error: its status, as any request's
			rec.Error.Code, rec.Reason, rec.RetryAfter = se.code, metrics.StatusReason(se.code), se.retryAfter
		}
	}
	job, err := readJob(resp)
	if err == nil && job.ID == "" {
		err = fmt.Errorf("no job id in the video create answer")
	}
	if err != nil {
		fail(fmt.Errorf("video submit: %w", err))
		return
	}
	rec.Responses = append(rec.Responses, record.Response{Offset: since(), Kind: record.Content})
	pollURL := resp.Request.URL.JoinPath(url.PathEscape(job.ID))
	header := resp.Request.Header.Clone()
	delete(header, "Content-Type")
	poll := e.cfg.VideoPoll
	if poll <= 0 {
		poll = DefaultVideoPoll
	}
	for job.Status != "completed" {
		if job.Status == "failed" {
			fail(fmt.Errorf("video generation failed: %s", jobError(job.Error)))
			return
		}
		if !sleepCtx(ctx, poll) {
			fail(context.Cause(ctx))
			return
		}
		answer, err := e.get(ctx, pollURL, header)
		if err == nil {
			job, err = readJob(answer)
			answer.Body.Close()
		}
		if err != nil {
			fail(fmt.Errorf("video poll: %w", err))
			return
		}
	}
	rec.Responses = append(rec.Responses, record.Response{Offset: since(), Kind: record.Content})
	if e.cfg.DownloadVideo {
		content := pollURL.JoinPath("content")
		if job.URL != "" {
			if u, err := pollURL.Parse(job.URL); err == nil {
				content = u
			}
		}
		h, getCtx := header, ctx
		if content.Host != pollURL.Host { // a storage link: the server's credentials stay with the server
			h, getCtx = http.Header{"User-Agent": header["User-Agent"]}, httpclient.OffHost(ctx)
		}
		answer, err := e.get(getCtx, content, h)
		if err == nil { // the video's bytes are counted off, never parsed: read as sent
			_, err = io.Copy(io.Discard, answer.Body)
			answer.Body.Close()
		}
		if err != nil {
			fail(fmt.Errorf("video download: %w", err))
			return
		}
	}
	rec.EndOffset = since()
}

// get sends a GET with the request's headers; a status other than 200 is an
// error naming it.
func (e *engine) get(ctx context.Context, u *url.URL, header http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header = header
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		msg := errorMessage(resp)
		resp.Body.Close()
		return nil, &statusError{code: resp.StatusCode, retryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now()),
			msg: fmt.Sprintf("GET %s: HTTP %d: %s", u.Path, resp.StatusCode, msg)}
	}
	return resp, nil
}

// statusError is a poll or download answered with an HTTP error.
type statusError struct {
	code       int
	retryAfter time.Duration
	msg        string
}

func (e *statusError) Error() string { return e.msg }

// readJob decodes a job answer, gunzipped as every answer is (readDecoded).
func readJob(resp *http.Response) (videoJobState, error) {
	var j videoJobState
	b, err := readDecoded(resp, maxJobBody)
	if errors.Is(err, errOverLimit) {
		return j, fmt.Errorf("the job answer is over its bound of %d MiB", maxJobBody>>20)
	}
	if err != nil {
		return j, err
	}
	return j, json.Unmarshal(b, &j)
}

// jobError is a failed job's error message: its message field, else the
// error as sent.
func jobError(raw json.RawMessage) string {
	var e struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Message != "" {
		return e.Message
	}
	if len(raw) == 0 {
		return "Unknown error"
	}
	return string(raw)
}
