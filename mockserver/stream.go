package mockserver

import (
	"context"
	"encoding/json"
	"net/http"
	"runtime"
	"time"
)

// Spinning the last stretch before a deadline gives sub-millisecond accuracy
// but costs CPU, so it is done only while few streams are in flight, for a
// tenth of the ITL (within these bounds).
const (
	minSpin        = 100 * time.Microsecond
	maxSpin        = time.Millisecond
	maxSpinStreams = 4
)

// streamOpts are the per-request stream settings.
type streamOpts struct {
	fault   fault
	cfg     Config
	arrival time.Time
}

// streamOptions is a request's stream_options.
type streamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// includeUsage tells whether the request asked for a usage chunk (nil: no).
func (o *streamOptions) includeUsage() bool { return o != nil && o.IncludeUsage }

// reply sends an answer of tokens through e after the request's fault, if
// any: streamed when asked (a wrong-content-type fault answers whole), else
// e.whole() once its last token is due.
func (s *Server) reply(w http.ResponseWriter, r *http.Request, tokens []string, stream bool, e events, o streamOpts, tr *Truth) {
	f, answered := s.fault(w, o.cfg, tr)
	if answered {
		return
	}
	if stream && f != faultWrongContentType {
		o.fault = f
		s.streamTokens(w, r, tokens, e, o, tr)
		return
	}
	s.sendWhole(w, r, o.cfg, o.arrival, len(tokens), f, e.whole, tr)
}

// wholeWait is when a whole answer of n tokens is due after arrival: when
// its last token would have been streamed, TTFT + (n−1)·ITL.
func wholeWait(cfg Config, n int) time.Duration {
	return cfg.TTFT + time.Duration(max(n-1, 0))*cfg.ITL
}

// sendWhole sends body() as one JSON answer of n tokens once it is due,
// under fault f (a stall delays it, a drop cuts it); false when it was not sent.
func (s *Server) sendWhole(w http.ResponseWriter, r *http.Request, cfg Config, arrival time.Time, n int, f fault, body func() any, tr *Truth) bool {
	if !waitAnswer(r, cfg, arrival, wholeWait(cfg, n), f, tr) {
		return false
	}
	tr.Status = http.StatusOK
	writeJSON(w, http.StatusOK, body())
	tr.ChunkNs = append(tr.ChunkNs, time.Now().UnixNano())
	return true
}

// waitAnswer sleeps until wait after arrival (a stall fault adds its
// duration), then drops the connection under that fault; false when the
// client went away first.
func waitAnswer(r *http.Request, cfg Config, arrival time.Time, wait time.Duration, f fault, tr *Truth) bool {
	if f == faultStall {
		wait += cfg.Faults.StallDuration
	}
	if err := sleepCtx(r.Context(), time.Until(arrival.Add(wait))); err != nil {
		tr.Error = "client went away: " + err.Error()
		return false
	}
	if f == faultDropMidStream {
		tr.Error = "fault: connection dropped"
		abortConnection()
	}
	return true
}

// sse writes Server-Sent Events, flushing after each.
type sse struct {
	w http.ResponseWriter
	f http.Flusher
}

func (e sse) data(b []byte) {
	buf := make([]byte, 0, len(b)+8)
	buf = append(append(append(buf, "data: "...), b...), "\n\n"...)
	_, _ = e.w.Write(buf)
	e.flush()
}

// write writes b, one event already framed ("data: ...\n\n"), and flushes.
func (e sse) write(b []byte) {
	_, _ = e.w.Write(b)
	e.flush()
}

// event writes data b after an event line (the Responses API's events).
func (e sse) event(typ string, b []byte) {
	_, _ = e.w.Write([]byte("event: " + typ + "\n"))
	e.data(b)
}

func (e sse) flush() {
	if e.f != nil {
		e.f.Flush()
	}
}

func (e sse) json(v any) {
	b, _ := json.Marshal(v) // chunk types always marshal
	e.data(b)
}

// events writes one API's answer. Streamed: head before the first token (a
// role chunk, a response.created event), one event per token, tail after the
// last (finish, usage, [DONE]); streamTokens calls them on the mock's
// schedule, so every API's stream gets the same timing, faults and prefill
// count. Not streamed: whole, one JSON body (noting in the truth what tail would).
type events interface {
	head(ev sse)
	token(ev sse, i int, tok string)
	tail(ev sse)
	whole() any
}

// chatEvents are chat and completions chunks (chat.completion.chunk,
// text_completion, transcription.chunk).
type chatEvents struct {
	a           answer
	role, usage bool
	tr          *Truth
}

func (c chatEvents) head(ev sse) {
	if c.role {
		empty := ""
		ev.json(c.a.chunk(&delta{Role: "assistant", Content: &empty}, nil))
	}
}

func (c chatEvents) token(ev sse, i int, tok string) {
	ev.json(c.a.chunk(tokenDelta(c.a, i, tok), nil))
	if i < c.a.reasoning {
		c.tr.ReasoningChunks++
	}
}

func (c chatEvents) tail(ev sse) {
	a, tr := c.a, c.tr
	finish := a.finish
	ev.json(a.chunk(&delta{}, &finish))
	tr.FinishReason = finish
	tr.CompletionTokens, tr.PromptTokens = len(a.tokens), a.promptTokens
	if c.usage {
		ch := a.chunk(nil, nil)
		ch.Choices, ch.Usage = []choice{}, a.usage()
		ev.json(ch)
	}
	ev.data([]byte("[DONE]"))
}

// streamTokens sends tokens through e, token i at arrival + TTFT + i·ITL.
// Faults strike halfway through the tokens.
func (s *Server) streamTokens(w http.ResponseWriter, r *http.Request, tokens []string, e events, o streamOpts, tr *Truth) {
	s.active.Add(1)
	defer s.active.Add(-1)
	leavePrefill := s.prefill.enter()
	defer leavePrefill() // a stream that ends before its first token
	ctx := r.Context()
	if o.fault == faultSlowHeaders {
		if err := sleepCtx(ctx, o.cfg.Faults.SlowHeadersDelay); err != nil {
			tr.Error = "client went away: " + err.Error()
			return
		}
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	tr.Status = http.StatusOK
	f, _ := w.(http.Flusher)
	ev := sse{w: w, f: f}
	e.head(ev)
	ev.flush() // the headers, when head wrote nothing

	half := len(tokens) / 2
	var shift time.Duration
	for i, tok := range tokens {
		if i == half && o.fault != faultNone {
			if done := s.strike(ev, o, tr, &shift); done {
				return
			}
		}
		deadline := o.arrival.Add(o.cfg.TTFT + time.Duration(i)*o.cfg.ITL + shift)
		if err := s.waitUntil(ctx, deadline, o.cfg.ITL); err != nil {
			tr.Error = "client went away: " + err.Error()
			return
		}
		leavePrefill() // before the token is written: the client cannot see it earlier
		e.token(ev, i, tok)
		tr.ChunkNs = append(tr.ChunkNs, time.Now().UnixNano())
	}
	e.tail(ev)
}

// strike applies a mid-stream fault; it reports whether the stream must end.
func (s *Server) strike(ev sse, o streamOpts, tr *Truth, shift *time.Duration) bool {
	switch o.fault {
	case faultDropMidStream:
		tr.Error = "fault: connection dropped"
		abortConnection()
	case faultTruncate:
		tr.Error = "fault: stream truncated"
		return true
	case faultErrorEvent:
		tr.Error = "fault: error event"
		ev.json(errorBody(http.StatusInternalServerError, "InternalServerError", "mock fault: error in the middle of the stream"))
		ev.data([]byte("[DONE]"))
		return true
	case faultMalformedEvent:
		ev.data([]byte(`{"object":"chat.completion.chunk","choices":[{"delta":{"content": oops`))
	case faultStall:
		*shift = o.cfg.Faults.StallDuration
	}
	return false
}

// tokenDelta is the delta of token i: reasoning_content for the first
// a.reasoning tokens, content after; a space before every word but each field's first.
func tokenDelta(a answer, i int, tok string) *delta {
	if i > 0 && i != a.reasoning {
		tok = " " + tok
	}
	if i < a.reasoning {
		return &delta{ReasoningContent: &tok}
	}
	return &delta{Content: &tok}
}

// chunk builds one streamed event of a.
func (a answer) chunk(d *delta, finish *string) chunk {
	if a.textChoices { // text_completion chunks carry the text itself
		text := ""
		if d != nil && d.Content != nil {
			text = *d.Content
		}
		return chunk{ID: a.id, Object: a.object, Created: a.created, Model: a.model,
			Choices: []choice{{Text: &text, FinishReason: finish}}}
	}
	obj := a.object + ".chunk" // chat.completion.chunk, transcription.chunk
	return chunk{ID: a.id, Object: obj, Created: a.created, Model: a.model,
		Choices: []choice{{Delta: d, FinishReason: finish}}}
}

// waitUntil sleeps until deadline on a timer, spinning the last itl/10 when
// few streams are active; it returns early if ctx ends.
func (s *Server) waitUntil(ctx context.Context, deadline time.Time, itl time.Duration) error {
	spin := time.Duration(0)
	if s.active.Load() <= maxSpinStreams {
		spin = min(max(itl/10, minSpin), maxSpin)
	}
	if d := time.Until(deadline) - spin; d > 0 {
		if err := sleepCtx(ctx, d); err != nil {
			return err
		}
	}
	for time.Now().Before(deadline) {
		runtime.Gosched()
	}
	return ctx.Err()
}
