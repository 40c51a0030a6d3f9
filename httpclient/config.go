package httpclient

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/prometheus/common/config"
	"go.yaml.in/yaml/v3"

	"github.com/aiperf-exporter/aiperf-exporter/endpoint"
	"github.com/aiperf-exporter/aiperf-exporter/internal/boundedfile"
	"github.com/aiperf-exporter/aiperf-exporter/internal/redact"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// DefaultConfig is the HTTP client configuration when nothing is set:
// redirects followed (as AIPerf's aiohttp does) and HTTP/1.1 only. HTTP/2 stays
// off unless asked for, because it would multiplex the concurrent streams over
// one connection, unlike AIPerf, which opens one connection per request in flight.
func DefaultConfig() config.HTTPClientConfig {
	return config.HTTPClientConfig{FollowRedirects: true}
}

// ParseConfig reads a Prometheus http_config YAML document (the shape of a
// blackbox_exporter module's http.http_client_config). Relative file names in it
// are resolved against dir. Unlike Prometheus, enable_http2 is false unless the
// document sets it (see DefaultConfig); an empty document is DefaultConfig. It
// is decoded with yaml v3, the project's one YAML version, with known fields:
// an unknown key is an error.
//
// Errors are one line naming each bad key by its path in the document (e.g.
// `line 3: unknown key "tls_config.ca_flie"`), never repeating a value.
func ParseConfig(doc []byte, dir string) (config.HTTPClientConfig, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(doc, &root); err != nil {
		return config.HTTPClientConfig{}, fmt.Errorf("not valid YAML: %s", oneLine(strings.TrimPrefix(err.Error(), "yaml: ")))
	}
	var top *yaml.Node // the document's mapping; nil when the document is empty
	if len(root.Content) > 0 {
		top = root.Content[0]
		if top.Kind != yaml.MappingNode && !(top.Kind == yaml.ScalarNode && top.Tag == "!!null") {
			return config.HTTPClientConfig{}, fmt.Errorf("line %d: want a mapping of http_config keys such as tls_config", top.Line)
		}
	}
	hc := DefaultConfig()
	dec := yaml.NewDecoder(bytes.NewReader(doc))
	dec.KnownFields(true) // a misspelt key is an error, as in blackbox_exporter's config
	if err := dec.Decode(&hc); err != nil && !errors.Is(err, io.EOF) {
		return config.HTTPClientConfig{}, describeYAMLError(err, &root)
	}
	if !hasYAMLKey(top, "enable_http2") {
		hc.EnableHTTP2 = false
	}
	if dir != "" {
		hc.SetDirectory(dir)
	}
	return hc, nil
}

// hasYAMLKey reports whether the mapping m has the key.
func hasYAMLKey(m *yaml.Node, key string) bool {
	if m == nil || m.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}

// maxConfigFileBytes bounds an http_config file (inline CA certificates
// included, it is some kilobytes).
const maxConfigFileBytes = 16 << 20

// LoadConfigFile reads an http_config YAML file (see ParseConfig);
// relative file names in it are relative to the file.
func LoadConfigFile(path string) (config.HTTPClientConfig, error) {
	b, err := boundedfile.Read(path, maxConfigFileBytes)
	if err != nil {
		return config.HTTPClientConfig{}, fmt.Errorf("%s: %w", path, err)
	}
	hc, err := ParseConfig(b, filepath.Dir(path))
	if err != nil {
		return hc, fmt.Errorf("%s: %w", path, err)
	}
	return hc, nil
}

// ConfigFrom builds the HTTP client configuration of the options:
// --http-config-file (or the default), then the TLS, basic auth, proxy and API
// key flags on top. Errors name the flag (and its AIPERF_* variable).
func ConfigFrom(o *options.Options) (config.HTTPClientConfig, error) {
	hc := DefaultConfig()
	if o.HTTPConfigFile != "" {
		var err error
		if hc, err = LoadConfigFile(o.HTTPConfigFile); err != nil {
			return hc, flagErr("http-config-file", err)
		}
	}
	t := &hc.TLSConfig
	for _, f := range []struct {
		flag, val string
		dst       *string
	}{
		{"tls-ca-file", o.TLSCAFile, &t.CAFile},
		{"tls-cert-file", o.TLSCertFile, &t.CertFile},
		{"tls-key-file", o.TLSKeyFile, &t.KeyFile},
	} {
		if f.val != "" {
			*f.dst = f.val
		}
	}
	if o.TLSCAFile != "" {
		t.CA = ""
	}
	if o.TLSCertFile != "" || o.TLSKeyFile != "" {
		t.Cert, t.Key = "", ""
	}
	if o.TLSServerName != "" {
		t.ServerName = o.TLSServerName
	}
	t.InsecureSkipVerify = t.InsecureSkipVerify || o.TLSInsecureSkipVerify
	if err := t.Validate(); err != nil {
		return hc, flagErr("tls-cert-file", err)
	}

	if o.ProxyURL != "" {
		u, err := url.Parse(o.ProxyURL)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "socks5") {
			return hc, &options.Error{Flag: "proxy-url", Msg: fmt.Sprintf("%q is not an http://, https:// or socks5:// URL", redact.URL(o.ProxyURL))}
		}
		hc.ProxyURL = config.URL{URL: u}
		hc.ProxyFromEnvironment = false
	}
	if o.ProxyFromEnvironment {
		if o.ProxyURL != "" {
			return hc, &options.Error{Flag: "proxy-from-environment", Msg: "cannot be combined with --proxy-url"}
		}
		hc.ProxyFromEnvironment = true
		hc.ProxyURL = config.URL{}
	}

	if err := applyAuthFlags(&hc, o); err != nil {
		return hc, err
	}
	if err := hc.Validate(); err != nil {
		return hc, flagErr("http-config-file", err)
	}
	return hc, nil
}

// applyAuthFlags adds --basic-auth-* and --api-key(-file) to hc. Credentials
// already configured in the file conflict with them.
func applyAuthFlags(hc *config.HTTPClientConfig, o *options.Options) error {
	hasAuth := hc.BasicAuth != nil || hc.Authorization != nil || hc.OAuth2 != nil ||
		hc.BearerToken != "" || hc.BearerTokenFile != ""
	basic := o.BasicAuthUsername != "" || o.BasicAuthPasswordFile != ""
	key := o.APIKey != "" || o.APIKeyFile != ""
	switch {
	case basic && key:
		return &options.Error{Flag: "basic-auth-username", Msg: "cannot be combined with --api-key or --api-key-file"}
	case o.APIKey != "" && o.APIKeyFile != "":
		return &options.Error{Flag: "api-key-file", Msg: "cannot be combined with --api-key"}
	case basic && hasAuth:
		return &options.Error{Flag: "basic-auth-username", Msg: "--http-config-file already configures credentials"}
	case key && hasAuth:
		return &options.Error{Flag: "api-key", Msg: "--http-config-file already configures credentials"}
	case basic:
		if o.BasicAuthUsername == "" {
			return &options.Error{Flag: "basic-auth-username", Msg: "required with --basic-auth-password-file"}
		}
		hc.BasicAuth = &config.BasicAuth{Username: o.BasicAuthUsername, PasswordFile: o.BasicAuthPasswordFile}
	case key && keyHeader(o) != "":
		setKeyHeader(hc, keyHeader(o), o)
	case o.APIKeyFile != "":
		hc.Authorization = &config.Authorization{Type: "Bearer", CredentialsFile: o.APIKeyFile}
	case o.APIKey != "":
		hc.Authorization = &config.Authorization{Type: "Bearer", Credentials: config.Secret(o.APIKey.Reveal())}
	}
	return nil
}

// keyHeader is the header the endpoint type takes its API key in ("" for
// Authorization: Bearer), as AIPerf's endpoint sends it (Anthropic's x-api-key).
func keyHeader(o *options.Options) string {
	t, _ := endpoint.Lookup(o.EndpointType)
	return t.KeyHeader
}

// setKeyHeader sends the API key (or the file's) in header name, as a secret
// header: masked like Authorization wherever requests are logged.
func setKeyHeader(hc *config.HTTPClientConfig, name string, o *options.Options) {
	h := config.Header{Secrets: []config.Secret{config.Secret(o.APIKey.Reveal())}}
	if o.APIKeyFile != "" {
		h = config.Header{Files: []string{o.APIKeyFile}}
	}
	if hc.HTTPHeaders == nil {
		hc.HTTPHeaders = &config.Headers{}
	}
	if hc.HTTPHeaders.Headers == nil {
		hc.HTTPHeaders.Headers = map[string]config.Header{}
	}
	hc.HTTPHeaders.Headers[name] = h
}

// flagErr names the flag of an HTTP setting; the error text comes from the
// common config library, which names files, never their content.
func flagErr(flag string, err error) error {
	return &options.Error{Flag: flag, Msg: strings.TrimSpace(err.Error())}
}
