// Package control sends AIPerf's control-plane requests to the servers under
// test: the KV-cache reset before a run (--reset-kv-cache) and the server
// profiler's start and stop around the profiling phase (--server-profiler).
// Each is an empty-body POST to a path on every target's origin; any 2xx
// answer is success, as in AIPerf. These requests are never records.
package control

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
)

// AIPerf's default paths (vLLM's routes; SGLang resets at /flush_cache).
const (
	DefaultResetPath         = "/reset_prefix_cache"
	DefaultProfilerStartPath = "/start_profile"
	DefaultProfilerStopPath  = "/stop_profile"
)

// Poster sends the control requests of one run.
type Poster struct {
	Client  *http.Client
	Header  http.Header // the run's headers (authorization included), as AIPerf sends them
	Origins []string    // scheme://host:port of every target, each once
}

// Origins is each target URL's scheme://host:port, each once, in order: two
// URLs on one server get one control request. Credentials in a URL stay.
func Origins(urls []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("no origin in URL %s", redact.URL(raw))
		}
		o := u.Scheme + "://" + u.Host
		if u.User != nil { // credentials in the URL go where the requests' go
			o = u.Scheme + "://" + u.User.String() + "@" + u.Host
		}
		if !seen[o] {
			seen[o] = true
			out = append(out, o)
		}
	}
	return out, nil
}

// CheckPath is AIPerf's rule for a control path: relative, starting with "/",
// so control traffic never leaves the targets' own origins.
func CheckPath(path string) error {
	if strings.Contains(path, "://") || !strings.HasPrefix(path, "/") {
		return fmt.Errorf("must be a relative path starting with '/', got %q", path)
	}
	return nil
}

// PostAll POSTs path to every origin and returns the first failure, after
// trying them all.
func (p *Poster) PostAll(ctx context.Context, path string, timeout time.Duration) error {
	var errs []error
	for _, o := range p.Origins {
		if err := p.post(ctx, o+path, timeout); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// StartAll POSTs path to every origin in turn; at the first failure it POSTs
// stopPath to the origins already started (their errors ignored) and returns
// the failure, as AIPerf's profiler start does.
func (p *Poster) StartAll(ctx context.Context, path, stopPath string, timeout time.Duration) error {
	for i, o := range p.Origins {
		if err := p.post(ctx, o+path, timeout); err != nil {
			for _, started := range p.Origins[:i] {
				_ = p.post(context.WithoutCancel(ctx), started+stopPath, timeout)
			}
			return err
		}
	}
	return nil
}

// post sends one empty-body POST; the error names the URL (credentials
// redacted) and what came back.
func (p *Poster) post(ctx context.Context, u string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(nil))
	if err != nil {
		return fmt.Errorf("POST %s: %w", redact.URL(u), err)
	}
	for k, v := range p.Header {
		req.Header[k] = v
	}
	resp, err := p.Client.Do(req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return fmt.Errorf("POST %s: no answer within %v", redact.URL(u), timeout)
		}
		return fmt.Errorf("POST %s: %w", redact.URL(u), unwrapURL(err))
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // lets the connection be reused
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST %s: HTTP %d", redact.URL(u), resp.StatusCode)
	}
	return nil
}

// unwrapURL drops *url.Error's own copy of the method and URL (unredacted).
func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
