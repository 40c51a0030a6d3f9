package httpclient_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/httpclient"
	"github.com/aiperf-exporter/aiperf-exporter/options"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
)

func TestParseHTTPConfig(t *testing.T) {
	cases := []struct {
		doc              string
		http2, redirects bool
		err              string
	}{
		{doc: "{}", redirects: true},
		{doc: "", redirects: true}, // an empty file is the default, redirects followed
		{doc: "enable_http2: true\n", http2: true, redirects: true},
		{doc: "follow_redirects: false\n"},
		{doc: "tls_config: {ca_file: ca.pem}\n", redirects: true},
		{doc: "tls_confg: {}\n", err: "tls_confg"},
		{doc: "basic_auth: {username: u}\nbearer_token: t\n", err: "at most one"},
	}
	for _, c := range cases {
		hc, err := httpclient.ParseConfig([]byte(c.doc), "/etc/aiperf")
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want %q", c.doc, err, c.err)
			}
			continue
		}
		if err != nil || hc.EnableHTTP2 != c.http2 || hc.FollowRedirects != c.redirects {
			t.Errorf("%q: http2 %v redirects %v err %v", c.doc, hc.EnableHTTP2, hc.FollowRedirects, err)
		}
		if hc.TLSConfig.CAFile != "" && hc.TLSConfig.CAFile != "/etc/aiperf/ca.pem" {
			t.Errorf("relative ca_file not resolved: %s", hc.TLSConfig.CAFile)
		}
	}
}

// An http_config file with a bearer token file and custom headers (one a
// secret): both reach the server; the secrets print as <secret>.
func TestHTTPConfigFileCredentialsAndHeaders(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "token"), []byte("tok-planted\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	doc := "authorization: {credentials_file: token}\nhttp_headers:\n  X-Tenant: {values: [blue]}\n  X-Gateway-Key: {secrets: [gw-planted]}\n"
	file := filepath.Join(dir, "http.yml")
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(mock(func(w http.ResponseWriter, r *http.Request) bool {
		if r.Header.Get("Authorization") != "Bearer tok-planted" || r.Header.Get("X-Tenant") != "blue" ||
			r.Header.Get("X-Gateway-Key") != "gw-planted" {
			http.Error(w, "missing credentials", http.StatusForbidden)
			return false
		}
		return true
	}))
	t.Cleanup(srv.Close)
	recs, err := hcRun(t, hcOptions(t, func(o *options.Options) { o.HTTPConfigFile = file }, srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	expectOutcome(t, recs, "")

	hc, err := httpclient.LoadConfigFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if s := hc.String(); strings.Contains(s, "planted") || !strings.Contains(s, "<secret>") {
		t.Errorf("config prints secrets: %s", s)
	}
	// --api-key on top of the file's credentials is one clear error.
	_, err = probe.ConfigFrom(hcOptions(t, func(o *options.Options) { o.HTTPConfigFile, o.APIKey = file, "k" }, srv.URL), "t")
	if err == nil || !strings.Contains(err.Error(), "--api-key") {
		t.Errorf("api key with file credentials: %v", err)
	}
}

// An http_config path that is a device (it never ends) is one error naming
// it, not a read forever.
func TestLoadConfigFileRefusesADevice(t *testing.T) {
	_, err := httpclient.LoadConfigFile("/dev/zero")
	if err == nil || err.Error() != "/dev/zero: not a regular file (a device)" {
		t.Errorf("error %v", err)
	}
}

// follow_redirects: false keeps a redirect as the answer (an HTTP error
// record); true follows it (a 303 to a GET the mock refuses, so any other
// outcome). A 307 is not followed by Go while the request body cannot be
// rewound (send.go sets no GetBody).
func TestFollowRedirects(t *testing.T) {
	var moved atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/moved") {
			moved.Add(1)
			http.Error(w, "gone for good", http.StatusGone)
			return
		}
		http.Redirect(w, r, "/moved"+r.URL.Path, http.StatusSeeOther)
	}))
	t.Cleanup(srv.Close)
	file := filepath.Join(t.TempDir(), "http.yml")
	for _, c := range []struct {
		doc   string
		code  int
		moved int64
	}{{"follow_redirects: true\n", http.StatusGone, 6}, {"follow_redirects: false\n", http.StatusSeeOther, 0}} {
		if err := os.WriteFile(file, []byte(c.doc), 0o600); err != nil {
			t.Fatal(err)
		}
		moved.Store(0)
		recs, err := hcRun(t, hcOptions(t, func(o *options.Options) { o.HTTPConfigFile = file }, srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if r.Error == nil || r.Error.Code != c.code {
				t.Fatalf("%q: error %+v, want code %d", c.doc, r.Error, c.code)
			}
		}
		if moved.Load() != c.moved {
			t.Errorf("%q: %d requests reached the new location, want %d", c.doc, moved.Load(), c.moved)
		}
	}
}

// A bad http_config file is one line naming the file and each bad key by its
// path; it never shows the library's Go types nor a value (it may be a secret).
func TestHTTPConfigFileErrorsAreOneLine(t *testing.T) {
	cases := []struct{ doc, want string }{
		{"tls_confg: {}\nbasic_auth: 5\n", `line 1: unknown key "tls_confg"; line 2: key "basic_auth" wants a mapping, got a number`},
		{"tls_config: {ca_file: a.pem, fo: 1}\n", `line 1: unknown key "tls_config.fo"`},
		{"tls_config:\n  insecure_skip_verify: maybe\n", `line 2: key "tls_config.insecure_skip_verify" wants true or false, got a string`},
		{"basic_auth:\n  username: u\n  password: [pw-planted]\n", `line 3: key "basic_auth.password" wants a string, got a list`},
		{"oauth2: {client_id: c, client_secret: {v: pw-planted}, token_url: http://x}\n", `line 1: key "oauth2.client_secret" wants a string, got a mapping`},
		{"http_headers:\n  X-A: {values: [1, {b: pw-planted}]}\n", `line 2: key "http_headers.X-A.values[1]" wants a string, got a mapping`},
		{"follow_redirects: true\nfollow_redirects: false\n", `line 2: key "follow_redirects" given twice`},
		{"- tls_config\n", "line 1: want a mapping of http_config keys"},
		{"a: [\n", "not valid YAML: line 1: "},
		{"basic_auth: {username: u}\nbearer_token: pw-planted\n", "at most one of"},
	}
	dir := t.TempDir()
	for i, c := range cases {
		file := filepath.Join(dir, fmt.Sprintf("http%d.yml", i))
		if err := os.WriteFile(file, []byte(c.doc), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := httpclient.ConfigFrom(&options.Options{HTTPConfigFile: file})
		if err == nil {
			t.Errorf("%q: no error", c.doc)
			continue
		}
		msg := err.Error()
		want := "--http-config-file (AIPERF_HTTP_CONFIG_FILE): " + file + ": " + c.want
		if !strings.HasPrefix(msg, want) {
			t.Errorf("%q:\n got  %s\n want %s", c.doc, msg, want)
		}
		for _, bad := range []string{"\n", "config.plain", "secret.plain", "pw-planted", "yaml: unmarshal"} {
			if strings.Contains(msg, bad) {
				t.Errorf("%q: error contains %q: %s", c.doc, bad, msg)
			}
		}
	}
}

// A redirect to another host (here: another port of 127.0.0.1, where net/http
// itself would keep Authorization) reaches it without any credential: not the
// http_config's authorization or secret header, not an api-key from --header.
// Other headers still go.
func TestRedirectToAnotherHostDropsCredentials(t *testing.T) {
	seen := make(chan http.Header, 16)
	other := httptest.NewServer(mock(func(_ http.ResponseWriter, r *http.Request) bool {
		seen <- r.Header.Clone()
		return true
	}))
	t.Cleanup(other.Close)
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-planted" || r.Header.Get("Api-Key") != "key-planted" {
			http.Error(w, "missing credentials", http.StatusForbidden)
			return
		}
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}))
	t.Cleanup(first.Close)
	file := filepath.Join(t.TempDir(), "http.yml")
	doc := "authorization: {credentials: tok-planted}\nhttp_headers:\n  X-Gateway-Key: {secrets: [gw-planted]}\n"
	if err := os.WriteFile(file, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	recs, err := hcRun(t, hcOptions(t, func(o *options.Options) {
		o.HTTPConfigFile = file
		o.Headers = []string{"api-key: key-planted", "X-Tenant: blue"}
	}, first.URL))
	if err != nil {
		t.Fatal(err)
	}
	expectOutcome(t, recs, "")
	// Each handler sends before it answers, so every request that made a
	// record has been seen; seen stays open (a late handler must not panic).
	n := 0
	for len(seen) > 0 {
		h := <-seen
		n++
		for name, v := range h {
			if strings.Contains(strings.Join(v, ","), "planted") {
				t.Errorf("redirected request carried %s", name)
			}
		}
		if h.Get("X-Tenant") != "blue" {
			t.Errorf("a plain header was dropped too: %v", h)
		}
	}
	if n != len(recs) {
		t.Errorf("%d requests reached the other host, want %d", n, len(recs))
	}
}
