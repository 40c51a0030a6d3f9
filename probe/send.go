package probe

import (
	"bufio"
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
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// errCancelRequested marks a request chosen by --request-cancellation-rate.
var errCancelRequested = errors.New("cancellation requested")

// maxErrorBody bounds how much of an error response becomes the message.
const maxErrorBody = 2048

// worker is the per-goroutine state reused across requests: a read buffer and
// the stream buffers, so steady-state streaming allocates nothing per chunk.
type worker struct {
	id int
	br *bufio.Reader
	st stream
}

func newWorker(id int) *worker {
	return &worker{id: id, br: bufio.NewReaderSize(nil, 16<<10)}
}

// send performs one request and fills rec. It never returns an error: every
// failure becomes the record's error.
func (e *engine) send(ctx context.Context, w *worker, turn *inputs.Turn, rec *record.Record, cancelAfter time.Duration) {
	target := e.nextTarget()
	rec.Target, rec.Model, rec.WorkerID = target.Name, turn.Model, w.id
	rec.Streaming, rec.Scenario = e.cfg.Streaming, e.cfg.Scenario
	rec.InputTokens, rec.AudioSeconds, rec.AudioBytes = turn.InputTokens, turn.AudioSeconds, turn.AudioBytes
	rec.RequestID = newRequestID()
	rec.OutputTokens, rec.ReasoningTokens = -1, 0

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	ctx, cancelTimeout := context.WithTimeout(ctx, e.cfg.Timeout)
	defer cancelTimeout()

	phases := &record.HTTPPhases{}
	var start time.Time
	var cancelTimer *time.Timer
	since := func() time.Duration { return time.Since(start) }
	trace := &httptrace.ClientTrace{
		GotConn:              func(i httptrace.GotConnInfo) { phases.ConnReused = i.Reused },
		DNSDone:              func(httptrace.DNSDoneInfo) { phases.DNS = since() },
		ConnectDone:          func(string, string, error) { phases.Connect = since() },
		TLSHandshakeDone:     func(tls.ConnectionState, error) { phases.TLS = since() },
		GotFirstResponseByte: func() { phases.FirstByte = since() },
		WroteRequest: func(httptrace.WroteRequestInfo) {
			phases.RequestWritten = since()
			if cancelAfter >= 0 { // newer AIPerf counts the delay from the full send
				cancelTimer = time.AfterFunc(cancelAfter, func() { cancel(errCancelRequested) })
			}
		},
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodPost, target.URL, turn.Body.Reader())
	if err != nil {
		rec.Error, rec.Reason = &record.Error{Type: "ClientError", Message: err.Error()}, record.ReasonConnection
		return
	}
	req.ContentLength = int64(turn.Body.Len())
	for k, v := range e.cfg.Header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", turn.ContentType)
	if e.cfg.Streaming {
		req.Header.Set("Accept", "text/event-stream")
	} else {
		req.Header.Set("Accept", "application/json")
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("X-Request-ID", rec.RequestID)
	req.Header.Set("X-Correlation-ID", rec.CorrelationID)
	if e.cfg.OnStart != nil {
		e.cfg.OnStart(rec)
	}

	start = time.Now()
	rec.StartNs = start.UnixNano()
	rec.Phases = phases
	resp, err := e.client.Do(req)
	defer func() {
		if cancelTimer != nil {
			cancelTimer.Stop()
		}
	}()
	if err != nil {
		rec.EndOffset = since()
		e.fail(ctx, rec, err, "")
		return
	}
	rec.AckOffset = since()
	rec.HTTPStatus = resp.StatusCode
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		rec.EndOffset = since()
		rec.Error = &record.Error{Code: resp.StatusCode, Type: http.StatusText(resp.StatusCode), Message: strings.TrimSpace(string(body))}
		rec.Reason = statusReason(resp.StatusCode)
		return
	}

	st := &w.st
	st.reset(start)
	w.br.Reset(resp.Body)
	sse := isEventStream(resp.Header.Get("Content-Type"))
	if sse {
		err = st.read(w.br)
	} else {
		// A whole JSON body is one response, stamped when it has been read.
		var body []byte
		body, err = io.ReadAll(w.br)
		st.message(body, since())
	}
	rec.EndOffset = since()
	w.br.Reset(nil)
	rec.SkippedEvents = st.skipped
	rec.Responses = append([]record.Response(nil), st.responses...)
	e.countTokens(rec, st)

	switch {
	case err != nil:
		e.fail(ctx, rec, err, "stream")
	case st.err != nil:
		rec.Error, rec.Reason = st.err, record.ReasonStreamError
	case sse && !st.done && !st.finished:
		rec.Error = &record.Error{Code: 502, Type: "StreamError", Message: "stream ended without [DONE] or finish_reason"}
		rec.Reason = record.ReasonStreamError
	case len(rec.Responses) == 0:
		rec.Reason = record.ReasonNoContent // AIPerf: invalid, yet no error object
	}
}

// fail turns a transport or read error into the record's error.
func (e *engine) fail(ctx context.Context, rec *record.Record, err error, during string) {
	elapsed := rec.EndOffset
	cause := context.Cause(ctx)
	switch {
	case errors.Is(cause, errCancelRequested) || errors.Is(cause, context.Canceled):
		rec.Cancelled, rec.CancelOffset = true, elapsed
		rec.Error = &record.Error{Code: 499, Type: "RequestCancellationError",
			Message: fmt.Sprintf("Request was cancelled after %.3f seconds", elapsed.Seconds())}
		rec.Reason = record.ReasonCancelled
	case errors.Is(cause, context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded):
		rec.Error = &record.Error{Type: "TimeoutError",
			Message: fmt.Sprintf("request timed out after %.3f seconds", elapsed.Seconds())}
		rec.Reason = record.ReasonTimeout
	case during == "stream":
		rec.Error = &record.Error{Code: 502, Type: "StreamError", Message: "stream broken: " + err.Error()}
		rec.Reason = record.ReasonStreamError
	default:
		rec.Error = &record.Error{Type: "ConnectionError", Message: err.Error()}
		rec.Reason = record.ReasonConnection
	}
}

func statusReason(code int) record.Reason {
	switch {
	case code >= 400 && code < 500:
		return record.ReasonHTTP4xx
	case code >= 500 && code < 600:
		return record.ReasonHTTP5xx
	default:
		return record.ReasonHTTPOther
	}
}

func isEventStream(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "text/event-stream"
}

// countTokens sets the output token counts from the server's usage or the
// client counter, as configured, and says which was used.
func (e *engine) countTokens(rec *record.Record, st *stream) {
	rec.Usage = parseUsage(st.usage)
	useServer := e.cfg.ServerTokenCount || (e.cfg.PreferUsage && rec.Usage != nil)
	switch {
	case useServer && rec.Usage != nil:
		rec.TokenSource = "server"
		rec.ReasoningTokens = rec.Usage.ReasoningTokens
		rec.OutputTokens = rec.Usage.CompletionTokens - rec.Usage.ReasoningTokens
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
