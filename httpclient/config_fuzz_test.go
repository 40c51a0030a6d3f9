package httpclient_test

import (
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/httpclient"
)

// FuzzParseConfig feeds arbitrary documents to the http_config parser and
// checks it never panics, that an error is one line without the library's Go
// type names, and that a document it accepts is valid, keeps HTTP/2 off unless
// it names enable_http2, and resolves relative file names against the directory.
func FuzzParseConfig(f *testing.F) {
	for _, seed := range []string{
		"{}", "", "enable_http2: true\n", "follow_redirects: false\n",
		"tls_config: {ca_file: ca.pem, cert_file: c.pem, key_file: k.pem, server_name: s, min_version: TLS12}\n",
		"basic_auth: {username: u, password_file: pw}\n",
		"authorization: {type: Bearer, credentials_file: token}\n",
		"oauth2: {client_id: c, client_secret: s, token_url: 'http://127.0.0.1/t', scopes: [a, b]}\n",
		"proxy_url: http://127.0.0.1:3128\nno_proxy: localhost\n",
		"http_headers:\n  X-Tenant: {values: [blue]}\n  X-Key: {secrets: [k], files: [f]}\n",
		"tls_confg: {}\nbasic_auth: 5\n", "- a\n", "a: [\n", "follow_redirects: true\nfollow_redirects: false\n",
		"tls_config:\n  ca_file: x\n  ca_file: y\n", "basic_auth: {username: u}\nbearer_token: t\n",
		"&a {b: *a}\n", "? [a]\n: b\n", "!!binary aGVsbG8=\n", "--- {}\n--- {}\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		hc, err := httpclient.ParseConfig(doc, "/etc/aiperf")
		if err != nil {
			msg := err.Error()
			if strings.Contains(msg, "\n") || strings.Contains(msg, "config.plain") || strings.Contains(msg, "yaml: unmarshal errors") {
				t.Fatalf("error is not one clean line: %q", msg)
			}
			return
		}
		if err := hc.Validate(); err != nil {
			t.Fatalf("accepted an invalid config: %v", err)
		}
		if hc.EnableHTTP2 && !strings.Contains(string(doc), "enable_http2") {
			t.Fatal("HTTP/2 on although the document does not ask for it")
		}
		for _, f := range []string{hc.TLSConfig.CAFile, hc.TLSConfig.CertFile, hc.TLSConfig.KeyFile} {
			if f != "" && !strings.HasPrefix(f, "/") {
				t.Fatalf("relative file %q not resolved against the directory", f)
			}
		}
	})
}
