package mockserver

import (
	"context"
	"net/http"
	"time"
)

// fault names the failure applied to one request ("" for none).
type fault string

const (
	faultNone             fault = ""
	faultError500         fault = "error500"
	faultError429         fault = "error429"
	faultDropMidStream    fault = "drop_mid_stream"
	faultMalformedEvent   fault = "malformed_event"
	faultErrorEvent       fault = "error_event"
	faultTruncate         fault = "truncate"
	faultStall            fault = "stall"
	faultSlowHeaders      fault = "slow_headers"
	faultWrongContentType fault = "wrong_content_type"
)

// drawFault picks at most one fault for a request, trying each in order.
func (s *Server) drawFault(f Faults) fault {
	for _, c := range []struct {
		p float64
		f fault
	}{
		{f.Error500, faultError500}, {f.Error429, faultError429}, {f.DropMidStream, faultDropMidStream},
		{f.MalformedEvent, faultMalformedEvent}, {f.ErrorEvent, faultErrorEvent}, {f.Truncate, faultTruncate},
		{f.Stall, faultStall}, {f.SlowHeaders, faultSlowHeaders}, {f.WrongContentType, faultWrongContentType},
	} {
		if c.p > 0 && s.uniform() < c.p {
			return c.f
		}
	}
	return faultNone
}

// answerEarlyFault writes the faults that replace the whole response (500,
// 429) and reports whether it did.
func answerEarlyFault(w http.ResponseWriter, f fault, tr *Truth) bool {
	switch f {
	case faultError500:
		tr.Status = http.StatusInternalServerError
		writeError(w, tr.Status, "InternalServerError", "mock fault: internal server error")
	case faultError429:
		tr.Status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", "1")
		writeError(w, tr.Status, "RateLimitError", "mock fault: rate limit exceeded, retry after 1 s")
	default:
		return false
	}
	return true
}

// abortConnection drops the connection without finishing the response;
// net/http recovers this panic without logging it.
func abortConnection() { panic(http.ErrAbortHandler) }

// sleepCtx sleeps for d unless ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
