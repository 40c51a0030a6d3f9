package httpclient

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/prometheus/common/config"

	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
)

// NewDefault returns an HTTP client tuned for measuring, with the default HTTP
// settings (DefaultConfig: no proxy, HTTP/1.1, redirects followed): see
// New.
func NewDefault(concurrency int) *http.Client {
	c, err := New(DefaultConfig(), concurrency)
	if err != nil { // the default configuration reads no file: cannot fail
		panic(fmt.Sprintf("httpclient: default HTTP client: %v", err))
	}
	return c
}

// New returns the measuring HTTP client for hc, the Prometheus
// http_config of a run or scenario: TLS (CA, client certificate, server name,
// skip verify), basic auth, authorization (bearer token), OAuth2, custom
// headers, proxy, follow_redirects and enable_http2.
//
// The transport stays the one tuned for measuring: keep-alive connections sized
// to concurrency so no request waits for a connection, no transparent
// compression (it would hide chunk arrival), no client-wide timeout (each request
// carries its own deadline), large write buffers for audio uploads. Secrets and
// TLS files named in hc are checked now (so a bad file is one clear error at
// start) and re-read when they change, at most once a second (secretFile); their
// content is never printed.
func New(hc config.HTTPClientConfig, concurrency int) (*http.Client, error) {
	if concurrency < 1 {
		concurrency = 1
	}
	if err := hc.Validate(); err != nil {
		return nil, err
	}
	if err := checkNoRefs(&hc); err != nil {
		return nil, err
	}
	ctx := context.Background()
	tlsConfig, err := config.NewTLSConfigWithContext(ctx, &hc.TLSConfig)
	if err != nil {
		return nil, err
	}
	tlsConfig.GetClientCertificate = noteCertRequest(tlsConfig.GetClientCertificate)
	proxy := hc.ProxyConfig // Proxy() caches its function in the value
	newRT := func(tc *tls.Config) (http.RoundTripper, error) {
		t := measuringTransport(concurrency, tc, hc.EnableHTTP2)
		t.Proxy = proxy.Proxy()
		t.ProxyConnectHeader = proxy.GetProxyConnectHeader()
		return withCredentials(&hc, t)
	}
	var rt http.RoundTripper
	if settings := tlsFiles(&hc.TLSConfig); settings != nil {
		rt, err = config.NewTLSRoundTripperWithContext(ctx, tlsConfig, *settings, newRT)
	} else {
		rt, err = newRT(tlsConfig)
	}
	if err != nil {
		return nil, err
	}
	c := &http.Client{Transport: &clearErrors{next: rt, proxy: proxy.Proxy()}, CheckRedirect: keepCredentialsHome}
	if !hc.FollowRedirects {
		c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	return c, nil
}

// maxRedirects is net/http's own limit, kept with our CheckRedirect.
const maxRedirects = 10

// keepCredentialsHome is the redirect policy: a redirect to another host (or
// port) goes out without any header that may carry a credential
// (redact.SecretName: Authorization, api-key, X-Api-Key, cookies, tokens, from
// --header or the http_config). net/http itself drops only Authorization and
// cookies, and only when the domain changes, not the port.
func keepCredentialsHome(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	if req.URL.Host != via[0].URL.Host {
		for name := range req.Header {
			if redact.SecretName(name) {
				delete(req.Header, name)
			}
		}
	}
	return nil
}

// measuringTransport is the transport every probe request goes through.
func measuringTransport(concurrency int, tc *tls.Config, http2 bool) *http.Transport {
	protocols := new(http.Protocols)
	protocols.SetHTTP1(true)
	protocols.SetHTTP2(http2)
	return &http.Transport{
		DialContext:           dialer(), // connections tied to the request that dialed them (dial.go)
		TLSClientConfig:       tc,
		Protocols:             protocols,
		MaxIdleConns:          0, // no global cap
		MaxIdleConnsPerHost:   concurrency,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 0,
		DisableCompression:    true,
		WriteBufferSize:       64 << 10, // audio bodies are large
		ReadBufferSize:        8 << 10,
	}
}

// withCredentials wraps rt with the credential and header round trippers of the
// common config library, in the order NewRoundTripperFromConfig uses. File
// secrets go through secretFile. Each secret is read once now, so a missing or
// unreadable file fails the start with its name. None of them is added to a
// request redirected to another host (firstHostOnly).
func withCredentials(hc *config.HTTPClientConfig, rt http.RoundTripper) (http.RoundTripper, error) {
	base := rt
	type named struct {
		what string
		r    config.SecretReader
	}
	var readers []named
	sec := func(what string, inline config.Secret, file string) config.SecretReader {
		s := secret(inline, file)
		if s != nil {
			readers = append(readers, named{what, s})
		}
		return s
	}
	if a := hc.Authorization; a != nil {
		rt = config.NewAuthorizationCredentialsRoundTripper(a.Type, sec("authorization credentials", a.Credentials, a.CredentialsFile), rt)
	}
	if b := hc.BasicAuth; b != nil {
		rt = config.NewBasicAuthRoundTripper(sec("basic_auth username", config.Secret(b.Username), b.UsernameFile),
			sec("basic_auth password", b.Password, b.PasswordFile), rt)
	}
	if o := hc.OAuth2; o != nil {
		var cred config.SecretReader
		if o.GrantType == "urn:ietf:params:oauth:grant-type:jwt-bearer" {
			cred = sec("oauth2 client_certificate_key", o.ClientCertificateKey, o.ClientCertificateKeyFile)
		} else {
			cred = sec("oauth2 client_secret", o.ClientSecret, o.ClientSecretFile)
		}
		rt = config.NewOAuth2RoundTripper(cred, o, rt)
	}
	if h := hc.HTTPHeaders; h != nil && len(h.Headers) > 0 {
		rt = config.NewHeadersRoundTripper(h, rt)
	}
	if rt != base {
		rt = &firstHostOnly{next: base, headers: rt}
	}
	for _, s := range readers {
		if _, err := s.r.Fetch(context.Background()); err != nil {
			return nil, fmt.Errorf("%s: %w", s.what, err)
		}
	}
	return rt, nil
}

// checkNoRefs rejects secret references (*_ref): they need a secret manager,
// which only Prometheus itself has.
func checkNoRefs(hc *config.HTTPClientConfig) error {
	refs := []string{hc.TLSConfig.CARef, hc.TLSConfig.CertRef, hc.TLSConfig.KeyRef}
	if a := hc.Authorization; a != nil {
		refs = append(refs, a.CredentialsRef)
	}
	if b := hc.BasicAuth; b != nil {
		refs = append(refs, b.UsernameRef, b.PasswordRef)
	}
	if o := hc.OAuth2; o != nil {
		refs = append(refs, o.ClientSecretRef, o.ClientCertificateKeyRef)
	}
	for _, r := range refs {
		if r != "" {
			return errors.New("secret references (*_ref) are not supported; use the inline value or a *_file")
		}
	}
	return nil
}

// tlsFiles are the TLS files to watch for changes, nil when there are none.
func tlsFiles(t *config.TLSConfig) *config.TLSRoundTripperSettings {
	if t.CAFile == "" && t.CertFile == "" && t.KeyFile == "" {
		return nil
	}
	return &config.TLSRoundTripperSettings{
		CA:   secret(config.Secret(t.CA), t.CAFile),
		Cert: secret(config.Secret(t.Cert), t.CertFile),
		Key:  secret(t.Key, t.KeyFile),
	}
}
