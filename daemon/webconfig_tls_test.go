package daemon

import (
	"crypto/tls"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// tlsGet fetches url with a client using cfg and returns the status and body.
func tlsGet(url string, cfg *tls.Config) (int, string, error) {
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
	defer client.CloseIdleConnections()
	resp, err := client.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// With an exporter-toolkit web config holding tls_server_config, /metrics is
// served over HTTPS only, with the configured certificate (file names relative
// to the config file), minimum version and client certificate requirement.
func TestWebConfigTLS(t *testing.T) {
	dir := t.TempDir()
	serverCA := testkit.NewCA(t, "server-ca")
	serverCA.IssueServer(t, dir, "server")
	clientCA := testkit.NewCA(t, "client-ca")
	clientCA.WriteCert(t, filepath.Join(dir, "client-ca.pem"))
	client := clientCA.IssueClient(t, dir, "client").TLS
	stranger := testkit.NewCA(t, "stranger-ca").IssueClient(t, dir, "stranger").TLS

	cfg := filepath.Join(dir, "web.yml")
	doc := "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" +
		"  min_version: TLS13\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: client-ca.pem\n"
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	d, reg := newDaemon(t, (&fakeEngine{}).run, time.Second, nil)
	base := "https://" + strings.TrimPrefix(startHTTP(t, NewHandler(reg, d.History, d.Ready), cfg), "http://")

	trust := serverCA.Pool()
	code, body, err := tlsGet(base+"/metrics", &tls.Config{RootCAs: trust, Certificates: []tls.Certificate{client}})
	if err != nil || code != http.StatusOK || !strings.Contains(body, "aiperf_requests_total") {
		t.Fatalf("HTTPS with a trusted client certificate: %d %v %.300s", code, err, body)
	}

	for _, c := range []struct {
		name string
		cfg  *tls.Config
		want string // part of the client's error
	}{
		{"server certificate not trusted", &tls.Config{Certificates: []tls.Certificate{client}}, "certificate"},
		{"no client certificate", &tls.Config{RootCAs: trust}, ""},
		{"client certificate from another CA", &tls.Config{RootCAs: trust, Certificates: []tls.Certificate{stranger}}, ""},
		{"TLS 1.2 below min_version", &tls.Config{RootCAs: trust, Certificates: []tls.Certificate{client}, MaxVersion: tls.VersionTLS12}, ""},
	} {
		code, body, err := tlsGet(base+"/metrics", c.cfg)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %d %v %.100s; want a TLS error", c.name, code, err, body)
		}
	}

	// Plain HTTP on the TLS port never gets the metrics.
	code, body, err = tlsGet("http://"+strings.TrimPrefix(base, "https://")+"/metrics", nil)
	if err == nil && (code == http.StatusOK || strings.Contains(body, "aiperf_requests_total")) {
		t.Errorf("plain HTTP answered %d with metrics", code)
	}
}
