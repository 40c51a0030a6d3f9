package daemon

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tlsCA is a certificate authority made for one test.
type tlsCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	file string // the CA certificate, PEM
}

func newTLSCA(t *testing.T, dir, name string) *tlsCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	ca := &tlsCA{cert: cert, key: key, file: filepath.Join(dir, name+".pem")}
	writePEMFile(t, ca.file, "CERTIFICATE", der)
	return ca
}

// issue signs a leaf for 127.0.0.1 (server) or a client, written as
// dir/name.crt and dir/name.key; it returns the loaded pair.
func (ca *tlsCA) issue(t *testing.T, dir, name string, server bool) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile := filepath.Join(dir, name+".crt"), filepath.Join(dir, name+".key")
	writePEMFile(t, certFile, "CERTIFICATE", der)
	writePEMFile(t, keyFile, "EC PRIVATE KEY", keyDER)
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	return pair
}

func writePEMFile(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

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
	serverCA := newTLSCA(t, dir, "server-ca")
	serverCA.issue(t, dir, "server", true)
	clientCA := newTLSCA(t, dir, "client-ca")
	client := clientCA.issue(t, dir, "client", false)
	strangerCA := newTLSCA(t, dir, "stranger-ca")
	stranger := strangerCA.issue(t, dir, "stranger", false)

	cfg := filepath.Join(dir, "web.yml")
	doc := "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" +
		"  min_version: TLS13\n  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: client-ca.pem\n"
	if err := os.WriteFile(cfg, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	d, reg := newDaemon(t, (&fakeEngine{}).run, time.Second, nil)
	base := "https://" + strings.TrimPrefix(startHTTP(t, NewHandler(reg, d.History, d.Ready), cfg), "http://")

	trust := x509.NewCertPool()
	trust.AddCert(serverCA.cert)
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
