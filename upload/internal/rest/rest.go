// Package rest is what the MLflow, W&B and OpenTelemetry uploaders' HTTP
// calls share: a JSON request, the bound on a file sent, sending without
// leaking the URL, the cap on a reply and the excerpt an error quotes. Each
// uploader keeps its own authentication and its own errors.
package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/oneline"
)

// MaxReply is the most of a reply's body read: the replies are small JSON,
// and a server answering with something huge must not fill the memory.
const MaxReply = 1 << 20

// MaxFile is the largest file uploaded (opened with boundedfile.Open, whose
// size the request must be given: a body of unknown length is sent chunked).
// 5 GiB is the most one PUT to a signed S3 URL takes, and neither uploader
// splits a file; a run's exports are far smaller.
const MaxFile = 5 << 30

// excerptLen is the most of a reply an error quotes.
const excerptLen = 200

// NewJSON is a POST of in as JSON to u, or a GET when in is nil.
func NewJSON(ctx context.Context, u string, in any) (*http.Request, error) {
	if in == nil {
		return http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	}
	b, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

// Do sends req with hc and returns the reply's status and its body (at most
// MaxReply bytes); errors start with what. A transport error loses the
// *url.Error around it, whose text repeats the URL: that may carry a
// password or a signature.
func Do(hc *http.Client, req *http.Request, what string) (int, []byte, error) {
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, nil, fmt.Errorf("%s: %w", what, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxReply))
	if err != nil {
		return 0, nil, fmt.Errorf("%s: %w", what, err)
	}
	return resp.StatusCode, b, nil
}

// Excerpt is the start of a reply's body as an error quotes it: cut on a
// character boundary and on one line (an HTML error page's newlines and
// other control characters escaped), so the error stays one line.
func Excerpt(b []byte) string {
	return oneline.Escape(strings.TrimSpace(oneline.Cut(string(b), excerptLen)))
}
