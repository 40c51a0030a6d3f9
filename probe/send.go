package probe

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/accuracy"
	"github.com/aiperf-exporter/aiperf-exporter/httpclient"
	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/internal/oneline"
	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/wer"
)

// errCancelRequested marks a request chosen by --request-cancellation-rate.
var errCancelRequested = errors.New("cancellation requested")

// maxErrorBody bounds how much of an error response becomes the message.
const maxErrorBody = 2048

// worker is the per-goroutine state reused across requests: a read buffer and
// the stream buffers, so steady-state streaming allocates nothing per chunk.
type worker struct {
	id   int
	br   *bufio.Reader
	st   stream
	body []byte // a whole non-streamed response body, reused
}

// readAllInto appends everything r yields to dst, reusing dst's room across
// requests. Each time dst is full, grow returns it with more room, or an error
// that stops the read.
func readAllInto(dst []byte, r io.Reader, grow func([]byte) ([]byte, error)) ([]byte, error) {
	for {
		if len(dst) == cap(dst) {
			var err error
			if dst, err = grow(dst); err != nil {
				return dst, err
			}
		}
		n, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if err == io.EOF {
			return dst, nil
		}
		if err != nil {
			return dst, err
		}
	}
}

// workerReadBuffer is the size of a worker's line buffer. SSE lines are a few
// hundred bytes and longer ones are joined in stream.long, so 4 KiB is enough;
// at 4096 streams every KiB here is 4 MiB of client memory.
const workerReadBuffer = 4 << 10

func newWorker(id int) *worker {
	return &worker{id: id, br: bufio.NewReaderSize(nil, workerReadBuffer)}
}

// call is the state of one request in flight: its start, phase stamps and
// cancellation hooks, shared with the HTTP trace hooks.
type call struct {
	start       time.Time
	cancelAfter time.Duration // -1: not a request to cancel
	cancel      context.CancelCauseFunc
	deadline    *time.Timer // cancels with context.DeadlineExceeded

	// net/http may run a trace hook after the request is over (a dial it keeps
	// for the pool outlives a timed-out request), on its own goroutine, so the
	// hooks write here under mu and the record gets a copy when it is finished.
	mu           sync.Mutex
	phases       record.HTTPPhases
	gotConn      bool                // later dial hooks belong to a dial this request did not use
	arrival      *httpclient.Arrival // kernel stamps of the connection's reads; nil: none
	wroteHeaders time.Duration       // a lower bound of RequestWritten, see finish
	finished     bool
	cancelTimer  *time.Timer
}

func (c *call) since() time.Duration { return time.Since(c.start) }

// arrived is since for a moment when a read of the connection just delivered
// what is awaited (the first response byte, the end of the headers): the
// kernel's stamp of that read when there is one (stamps.go), so the phases and
// the responses' stamps come from the same clock and first byte ≤ first token.
func (c *call) arrived() time.Duration {
	c.mu.Lock()
	a := c.arrival
	c.mu.Unlock()
	if d, ok := a.Since(c.start); ok {
		return d
	}
	return c.since()
}

// stamp applies set to the phases unless the request is already over.
func (c *call) stamp(set func(p *record.HTTPPhases)) {
	c.mu.Lock()
	if !c.finished {
		set(&c.phases)
	}
	c.mu.Unlock()
}

// stampDial is stamp for the DNS, connect and TLS hooks: once the request has
// its connection, a dial still reporting is one it started but did not use
// (another connection came free first), so it is ignored.
func (c *call) stampDial(set func(p *record.HTTPPhases)) {
	c.mu.Lock()
	if !c.finished && !c.gotConn {
		set(&c.phases)
	}
	c.mu.Unlock()
}

// finish ends the request: later trace hooks are ignored, the cancellation
// timer is stopped, the contexts are freed and, when the request was sent on a
// connection, rec gets its final phases. A request that never had a connection
// (refused, timed out waiting) has none, so it is not counted as one opened.
func (c *call) finish(rec *record.Record) {
	c.mu.Lock()
	c.finished = true
	phases, timer, gotConn := c.phases, c.cancelTimer, c.gotConn
	// net/http calls WroteRequest from its write goroutine after the write
	// returned, which on a busy machine can be after the response's first byte
	// was read. The request was written before the server answered, so then
	// the headers-written stamp (taken before the flush) stands in for it.
	if phases.FirstByte > 0 && (phases.RequestWritten == 0 || phases.RequestWritten > phases.FirstByte) {
		phases.RequestWritten = c.wroteHeaders
	}
	c.mu.Unlock()
	if timer != nil {
		timer.Stop()
	}
	if c.deadline != nil { // nil when the request was never sent
		c.deadline.Stop()
	}
	c.cancel(nil)
	if !c.start.IsZero() && gotConn { // no connection, no phases: nothing to count as opened
		rec.HTTPPhases = &phases
	}
}

// prepare fills rec's identity and builds the request for turn: its deadline,
// trace and headers. The body is the turn's shared segments, never copied or
// re-encoded, so a large audio body costs no more to prepare than a small one.
// The caller must call c.finish once the request is over.
func (e *engine) prepare(ctx context.Context, w *worker, turn *inputs.Turn, rec *record.Record, c *call) (*http.Request, error) {
	target := e.nextTarget()
	rec.Target, rec.Model, rec.WorkerID = target.Name, turn.Model, w.id
	rec.Streaming, rec.Scenario = e.cfg.Streaming, e.cfg.Scenario
	rec.EndpointType = e.cfg.EndpointType
	rec.InputTokens, rec.AudioSeconds, rec.AudioBytes = turn.InputTokens, turn.AudioSeconds, turn.AudioBytes
	rec.Images, rec.Videos = turn.Images, turn.Videos
	rec.RequestID = newRequestID()
	rec.OutputTokens, rec.ReasoningTokens = -1, 0

	// One context per request: the timeout (armed in send, at the start stamp)
	// cancels it with DeadlineExceeded as its cause (fail reads causes), saving
	// a second context and its registration with the parent on every request.
	ctx, c.cancel = context.WithCancelCause(ctx)
	ctx = httpclient.WithDialOwner(ctx, c) // ties a connection dialed for this request to it
	trace := &httptrace.ClientTrace{
		GotConn: func(i httptrace.GotConnInfo) {
			first, own := httpclient.ConnUse(i, c)
			arrival := httpclient.ArrivalOf(i)
			c.stamp(func(p *record.HTTPPhases) {
				p.ConnReused, c.gotConn, c.arrival = !first, true, arrival
				if !own { // the phases seen so far are of a dial another request got
					p.DNS, p.Connect, p.TLS = 0, 0, 0
				}
			})
		},
		DNSDone: func(httptrace.DNSDoneInfo) {
			d := c.since()
			c.stampDial(func(p *record.HTTPPhases) { p.DNS = d })
		},
		ConnectDone: func(string, string, error) {
			d := c.since()
			c.stampDial(func(p *record.HTTPPhases) { p.Connect = d })
		},
		TLSHandshakeDone: func(tls.ConnectionState, error) {
			d := c.since()
			c.stampDial(func(p *record.HTTPPhases) { p.TLS = d })
		},
		WroteHeaders: func() {
			d := c.since()
			c.stamp(func(*record.HTTPPhases) { c.wroteHeaders = d })
		},
		GotFirstResponseByte: func() {
			d := c.arrived()
			c.stamp(func(p *record.HTTPPhases) { p.FirstByte = d })
		},
		WroteRequest: func(httptrace.WroteRequestInfo) {
			d := c.since()
			c.mu.Lock()
			defer c.mu.Unlock()
			if c.finished {
				return
			}
			c.phases.RequestWritten = d
			if c.cancelAfter >= 0 { // newer AIPerf counts the delay from the full send
				c.cancelTimer = time.AfterFunc(c.cancelAfter, func() { c.cancel(errCancelRequested) })
			}
		},
	}
	req, err := newPost(httptrace.WithClientTrace(ctx, trace), target.URL, turn.Body)
	if err != nil {
		return nil, err
	}
	h := req.Header
	for k, v := range e.cfg.Header {
		h[k] = v
	}
	accept := "application/json"
	if e.cfg.Streaming {
		accept = "text/event-stream"
	}
	// Canonical keys set directly: Header.Set would canonicalise each per request.
	h["Content-Type"] = []string{turn.ContentType}
	if e.cfg.ContentType != "" {
		h["Content-Type"] = []string{e.cfg.ContentType}
	}
	h["Accept"] = []string{accept}
	h["User-Agent"] = []string{userAgent()}
	h["X-Request-Id"] = []string{rec.RequestID}
	session := e.cfg.SessionHeader
	if session == "" {
		session = "X-Correlation-Id"
	}
	h[session] = []string{rec.CorrelationID}
	return req, nil
}

// smallBody is the size up to which a body of several segments is joined
// into one slice per request: net/http writes the headers and a body it knows
// to be in memory (a bytes.Reader) in one write, but flushes the headers in a
// write of their own before any other body, a system call per request that
// costs more than copying a few KiB.
const smallBody = 16 << 10

// bodyReader returns a reader over b that net/http recognises as in memory
// whenever that costs no copy or a small one; large bodies (audio) stream
// their shared segments as they are.
func bodyReader(b inputs.Body) io.Reader {
	switch {
	case len(b) == 1:
		return bytes.NewReader(b[0])
	case b.Len() <= smallBody:
		return bytes.NewReader(b.Bytes())
	default:
		return b.Reader()
	}
}

// parsedURLs caches each target URL parsed once (string -> *url.URL): parsing
// was a fifth of the per-request preparation.
var parsedURLs sync.Map

// newPost is http.NewRequestWithContext for a POST of body to rawURL, with the
// URL parsed once per target instead of once per request (each request gets its
// own copy of the parsed URL, so nothing is shared that a transport could change).
func newPost(ctx context.Context, rawURL string, body inputs.Body) (*http.Request, error) {
	v, ok := parsedURLs.Load(rawURL)
	if !ok {
		parsed, err := url.Parse(rawURL)
		if err != nil {
			return nil, err
		}
		if parsed.Host == "" {
			return nil, fmt.Errorf("URL %q has no host", rawURL)
		}
		v, _ = parsedURLs.LoadOrStore(rawURL, parsed)
	}
	u := *v.(*url.URL)
	req := &http.Request{
		Method: http.MethodPost, URL: &u, Host: u.Host,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        make(http.Header, 8),
		Body:          io.NopCloser(bodyReader(body)),
		GetBody:       func() (io.ReadCloser, error) { return io.NopCloser(bodyReader(body)), nil },
		ContentLength: int64(body.Len()),
	}
	return req.WithContext(ctx), nil
}

// send performs one request and fills rec. It never returns an error: every
// failure becomes the record's error.
func (e *engine) send(ctx context.Context, w *worker, turn *inputs.Turn, rec *record.Record, cancelAfter time.Duration, closeConn bool) {
	c := &call{cancelAfter: cancelAfter}
	req, err := e.prepare(ctx, w, turn, rec, c)
	if req != nil {
		req.Close = closeConn // the transport closes the connection after the response
	}
	if c.cancel != nil {
		defer c.finish(rec) // first deferred, so it runs last
	}
	if err != nil {
		rec.Error, rec.Reason = &record.Error{Type: "ClientError", Message: err.Error()}, record.ReasonConnection
		return
	}
	ctx = req.Context()
	if e.cfg.OnStart != nil {
		e.cfg.OnStart(rec)
	}

	c.start = time.Now()
	start := c.start
	// The timeout runs from the start stamp, so a timed-out request's latency
	// is never below it (armed in prepare, a slow preparation on a loaded
	// machine counted against it: 492 ms for a 500 ms timeout).
	cancel := c.cancel
	c.deadline = time.AfterFunc(e.cfg.Timeout, func() { cancel(context.DeadlineExceeded) })
	since := c.since
	rec.StartNs = start.UnixNano()
	resp, err := e.client.Do(req)
	if err != nil {
		rec.EndOffset = since()
		e.fail(ctx, rec, err, "", c.cancelAfter)
		return
	}
	rec.AckOffset = c.arrived()
	rec.HTTPStatus = resp.StatusCode
	defer resp.Body.Close()
	defer maskSent(rec, resp.Request) // an echo of a token fetched at run time

	if resp.StatusCode != http.StatusOK {
		msg := errorMessage(resp)
		rec.EndOffset = since()
		rec.Error = &record.Error{Code: resp.StatusCode, Type: http.StatusText(resp.StatusCode), Message: msg}
		rec.Reason = metrics.StatusReason(resp.StatusCode)
		rec.RetryAfter = retryAfter(resp.Header.Get("Retry-After"), time.Now())
		return
	}

	st := &w.st
	st.reset(start)
	st.textChoices, st.responsesAPI, st.results = e.reply.textChoices, e.reply.responsesAPI, e.reply.results
	st.messagesAPI, st.tokenIDs = e.reply.messagesAPI, e.reply.tokenIDs
	st.hold.budget = e.cfg.budget
	c.mu.Lock()
	st.arrival = c.arrival
	c.mu.Unlock()
	defer st.release() // the worker goes back to a pool: no huge buffer with it
	if e.reply.videoJob {
		e.videoJob(ctx, rec, resp, since, c.cancelAfter)
		e.countTokens(rec, st, false) // nothing read into st: no output tokens
		return
	}
	body, err := decoded(resp)
	if err != nil { // reading the gzip header may also time out: fail classifies
		rec.EndOffset = since()
		e.fail(ctx, rec, err, "stream", c.cancelAfter)
		return
	}
	w.br.Reset(body)
	sse := isEventStream(resp.Header.Get("Content-Type"))
	// A plain JSON reply to a streaming request did not stream: it gets no
	// streaming metrics (TTFT would be its latency); see record.Streamed.
	rec.WholeReply = rec.Streaming && !sse
	if sse {
		err = st.read(w.br)
	} else if resp.ContentLength > int64(maxResponseBytes) {
		err = responseTooLarge() // announced too large: not read at all
	} else {
		// A whole JSON body is one response, stamped when it has been read.
		w.body, err = readAllInto(w.body[:0], io.LimitReader(w.br, int64(maxResponseBytes)+1), st.growBody)
		switch {
		case err == nil && len(w.body) > maxResponseBytes:
			err = responseTooLarge()
		default:
			if _, refused := err.(refusedError); !refused { // over budget: nothing to parse
				st.whole(w.body, st.now())
			}
			if err == nil {
				err = st.covered(cap(w.body)) // the answer copied out of the body
			}
		}
		if cap(w.body) > keepBytes {
			w.body = nil // do not keep a rare huge body for every later request (nor a slice of st.bodySpill)
		}
	}
	rec.EndOffset = since()
	w.br.Reset(nil)
	if sse { // a whole body that does not parse is no stream event: it fails as no content
		rec.SkippedEvents = st.skipped
	}
	if rec.SkippedEvents > 0 && e.cfg.Logf != nil { // AIPerf warns on each invalid event; once per request here
		e.cfg.Logf("request %s: skipped %d malformed stream event(s)", rec.RequestID, rec.SkippedEvents)
	}
	rec.Responses = append([]record.Response(nil), st.responses...)
	rec.StampSource = st.stampSource()
	e.countTokens(rec, st, resp.Header.Get("X-Compute-Type") != "")

	switch {
	case err != nil:
		e.fail(ctx, rec, err, "stream", c.cancelAfter)
	case st.err != nil:
		rec.Error, rec.Reason = st.err, record.ReasonStreamError
	case sse && !st.done && !st.finished:
		rec.Error = &record.Error{Code: 502, Type: "StreamError", Message: "stream ended without [DONE] or finish_reason"}
		rec.Reason = record.ReasonStreamError
	case len(rec.Responses) == 0:
		rec.Reason = record.ReasonNoContent // AIPerf: invalid, yet no error object
	}
	scoreAnswer(rec, turn.Reference, st.answer)
	if e.cfg.KeepText { // --export-outputs-json: one copy once the stream is over
		rec.ResponseText = string(st.reasoning) + string(st.answer)
	}
	rec.Accuracy = accuracy.GradeRecord(turn.Problem, st.answer, st.reasoning, rec.Valid()) // after EndOffset: never timed
}

// scoreAnswer sets the word error rate of a successful answer against the
// turn's reference transcript, once the stream is over (never per chunk).
func scoreAnswer(rec *record.Record, reference string, answer []byte) {
	if reference == "" || !rec.Valid() {
		return
	}
	if r, ok := wer.Rate(reference, string(answer)); ok {
		rec.WordErrorRate = &r
	}
}

// fail turns a transport or read error into the record's error. Messages of
// cancellations and timeouts name the configured delay, as AIPerf's do, so the
// error summary has one row per setting rather than one per measured time
// (CancelOffset keeps the measured one).
func (e *engine) fail(ctx context.Context, rec *record.Record, err error, during string, cancelAfter time.Duration) {
	elapsed := rec.EndOffset
	cause := context.Cause(ctx)
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		ue.URL = redact.URL(ue.URL) // net/http hides the password, not an api-key in the query
	}
	switch {
	case errors.Is(cause, errCancelRequested) || errors.Is(cause, context.Canceled):
		after := elapsed // Ctrl-C or shutdown: no configured delay
		if errors.Is(cause, errCancelRequested) {
			after = cancelAfter
		}
		rec.Cancelled, rec.CancelOffset = true, elapsed
		rec.Error = &record.Error{Code: 499, Type: "RequestCancellationError",
			Message: fmt.Sprintf("Request was cancelled after %.3f seconds", after.Seconds())}
		rec.Reason = record.ReasonCancelled
	case errors.Is(cause, context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		rec.Error = &record.Error{Type: "TimeoutError",
			Message: fmt.Sprintf("request timed out after %.3f seconds", e.cfg.Timeout.Seconds())}
		rec.Reason = record.ReasonTimeout
	case errors.As(err, new(refusedError)):
		rec.Error = &record.Error{Code: 502, Type: "StreamError", Message: err.Error()}
		rec.Reason = record.ReasonStreamError
	case during == "stream":
		rec.Error = &record.Error{Code: 502, Type: "StreamError", Message: "stream broken: " + err.Error()}
		rec.Reason = record.ReasonStreamError
	default:
		rec.Error = &record.Error{Type: "ConnectionError", Message: err.Error()}
		rec.Reason = record.ReasonConnection
	}
}

// decoded returns the response body, gunzipped when the server sent
// Content-Encoding: gzip although we asked for none (a proxy may). Other
// encodings are an error naming them: their bytes would parse as garbage.
func decoded(resp *http.Response) (io.Reader, error) {
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		return resp.Body, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			return nil, fmt.Errorf("gzip response body: %w", err)
		}
		return zr, nil
	default:
		return nil, refusedError(fmt.Sprintf("response Content-Encoding %q is not supported (gzip is)", enc))
	}
}

// errOverLimit is readDecoded's error for a body longer than its limit.
var errOverLimit = errors.New("the reply is longer than the client reads of it")

// readDecoded reads resp's body, gunzipped as every answer is (decoded), up to
// limit bytes: a longer body is its first limit bytes (cut back to a whole
// character) and an error naming the limit, never a silent cut.
func readDecoded(resp *http.Response, limit int) ([]byte, error) {
	r, err := decoded(resp)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err == nil && len(b) > limit {
		return b[:len(oneline.Cut(string(b), limit))], fmt.Errorf("%w (%d bytes)", errOverLimit, limit)
	}
	return b, err
}

// errorMessage is an error answer's body as its message: decoded, trimmed,
// and at most maxErrorBody long (the rest is never read, as documented); an
// encoding that cannot be read is named instead.
func errorMessage(resp *http.Response) string {
	body, err := readDecoded(resp, maxErrorBody)
	if len(body) == 0 && err != nil {
		return err.Error()
	}
	return strings.TrimSpace(string(body))
}

// retryAfter reads a Retry-After header: delay seconds or an HTTP date; 0
// when absent or unreadable.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil {
		return max(time.Duration(secs)*time.Second, 0)
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0)
	}
	return 0
}

func isEventStream(contentType string) bool {
	// Fast paths for what servers send ("text/event-stream" or
	// "application/json", maybe with parameters): ParseMediaType allocates a
	// map per call.
	if rest, ok := strings.CutPrefix(contentType, "text/event-stream"); ok && (rest == "" || rest[0] == ';' || rest[0] == ' ') {
		return true
	}
	if strings.HasPrefix(contentType, "application/json") {
		return false
	}
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "text/event-stream"
}

// countTokens sets the output token counts from the server's usage or the
// client counter, as configured, and says which was used.
func (e *engine) countTokens(rec *record.Record, st *stream, tgi bool) {
	rec.Usage = st.parsedUsage()
	useServer := e.cfg.ServerTokenCount || (e.cfg.PreferUsage && rec.Usage != nil)
	switch {
	case st.tokenIDs: // token ids answer: counted, never tokenized
		rec.TokenSource, rec.OutputTokens = "server", st.outputIDs
	case useServer && rec.Usage != nil:
		rec.TokenSource = "server"
		rec.ReasoningTokens = rec.Usage.ReasoningTokens
		rec.OutputTokens = rec.Usage.CompletionTokens - rec.Usage.ReasoningTokens
		if !e.cfg.ServerTokenCount && st.eosInUsage(tgi) && rec.OutputTokens > 0 {
			rec.OutputTokens-- // the fallback for want of a tokenizer: no EOS in OSL
		}
		if e.cfg.ServerTokenCount {
			rec.InputTokens = rec.Usage.PromptTokens
		}
	case useServer:
		rec.TokenSource = "server" // asked for server counts, none sent: unknown
	default:
		rec.TokenSource = e.cfg.Counter.Name()
		rec.OutputTokens = e.cfg.Counter.Count(string(st.answer))
		if len(st.reasoning) > 0 {
			rec.ReasoningTokens = e.cfg.Counter.Count(string(st.reasoning))
		}
	}
}

// newRequestID returns a random UUIDv4 string.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}
