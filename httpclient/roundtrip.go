package httpclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
)

type closeIdler interface{ CloseIdleConnections() }

func closeIdle(rt http.RoundTripper) {
	if c, ok := rt.(closeIdler); ok {
		c.CloseIdleConnections()
	}
}

// firstHostOnly sends the configured credentials (authorization, basic auth,
// OAuth2) and http_headers to the target's host only: a redirect to another
// host goes out without them.
type firstHostOnly struct {
	next    http.RoundTripper // without the credentials and headers
	headers http.RoundTripper // next with them added
}

func (rt *firstHostOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Context().Value(offHostKey{}) != nil {
		return rt.next.RoundTrip(req)
	}
	first := req
	for first.Response != nil && first.Response.Request != nil {
		first = first.Response.Request
	}
	if first != req && first.URL.Host != req.URL.Host {
		return rt.next.RoundTrip(req)
	}
	return rt.headers.RoundTrip(req)
}

func (rt *firstHostOnly) CloseIdleConnections() { closeIdle(rt.next) }

type offHostKey struct{}

// OffHost marks a request for another host than the target's, such as a link
// the server answered with (a generated video's storage URL): it goes out
// without the configured credentials and headers, as a redirect there would.
func OffHost(ctx context.Context) context.Context { return context.WithValue(ctx, offHostKey{}, true) }

// clearErrors makes the errors a TLS or proxy setting causes say so: a request
// that failed before it had a connection through its proxy (the proxy is down
// or refused the CONNECT) says "proxy <host>", so it is not mistaken for the
// target's failure; a server that asked for a client certificate and then
// refused the connection (with a TLS alert, or, under TLS 1.3, by closing it
// while the request was written) "rejected the client certificate"; an
// untrusted server certificate names the setting that fixes it. The proxy's
// credentials never appear.
type clearErrors struct {
	next  http.RoundTripper
	proxy func(*http.Request) (*url.URL, error) // nil: no proxy
}

func (rt *clearErrors) RoundTrip(req *http.Request) (*http.Response, error) {
	var p *url.URL
	if rt.proxy != nil {
		p, _ = rt.proxy(req)
	}
	if p == nil && req.URL.Scheme != "https" {
		return rt.next.RoundTrip(req)
	}
	var connected, certAsked atomic.Bool
	ctx := context.WithValue(req.Context(), certAskedKey{}, &certAsked)
	if p != nil {
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { connected.Store(true) }})
	}
	resp, err := rt.next.RoundTrip(req.WithContext(ctx))
	if err == nil {
		return resp, nil
	}
	err = describeTLS(err, certAsked.Load())
	if p != nil && !connected.Load() {
		return resp, fmt.Errorf("proxy %s: %w", p.Host, err)
	}
	return resp, err
}

func (rt *clearErrors) CloseIdleConnections() { closeIdle(rt.next) }

// certAskedKey holds, in a request's context, the flag noteCertRequest sets
// when a TLS handshake made for the request was asked for a client certificate.
type certAskedKey struct{}

// noteCertRequest wraps a tls.Config's GetClientCertificate (nil: send none) to
// flag the request's handshake as asked for a client certificate.
func noteCertRequest(get func(*tls.CertificateRequestInfo) (*tls.Certificate, error)) func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
	return func(cri *tls.CertificateRequestInfo) (*tls.Certificate, error) {
		if f, ok := cri.Context().Value(certAskedKey{}).(*atomic.Bool); ok {
			f.Store(true)
		}
		if get == nil {
			return &tls.Certificate{}, nil
		}
		return get(cri)
	}
}

// describeTLS adds what a TLS failure means to its error.
func describeTLS(err error, certAsked bool) error {
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) {
		return fmt.Errorf("%w (the server's CA is not trusted: set --tls-ca-file or tls_config.ca_file)", err)
	}
	var op *net.OpError
	alert := errors.As(err, &op) && op.Op == "remote error"
	closed := errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed)
	if certAsked && (alert || closed) || alert && strings.Contains(op.Err.Error(), "certificate") {
		return fmt.Errorf("the server rejected the client certificate: %w", err)
	}
	return err
}
