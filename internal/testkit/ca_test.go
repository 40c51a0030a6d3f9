package testkit

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Leaves verify against their own CA's pool only, for their own usage and,
// for a server, its names only.
func TestCAVerify(t *testing.T) {
	dir := t.TempDir()
	ca, other := NewCA(t, "ca"), NewCA(t, "other")
	server, client := ca.IssueServer(t, dir, "server"), ca.IssueClient(t, dir, "client")
	for _, c := range []struct {
		name  string
		leaf  Leaf
		pool  *x509.CertPool
		usage x509.ExtKeyUsage
		host  string
		ok    bool
	}{
		{"server by IP", server, ca.Pool(), x509.ExtKeyUsageServerAuth, "127.0.0.1", true},
		{"server by name", server, ca.Pool(), x509.ExtKeyUsageServerAuth, ServerDNSName, true},
		{"server by another name", server, ca.Pool(), x509.ExtKeyUsageServerAuth, "other.internal", false},
		{"server, other CA", server, other.Pool(), x509.ExtKeyUsageServerAuth, "127.0.0.1", false},
		{"server as client", server, ca.Pool(), x509.ExtKeyUsageClientAuth, "", false},
		{"client", client, ca.Pool(), x509.ExtKeyUsageClientAuth, "", true},
		{"client, other CA", client, other.Pool(), x509.ExtKeyUsageClientAuth, "", false},
		{"client as server", client, ca.Pool(), x509.ExtKeyUsageServerAuth, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.leaf.TLS.Leaf.Verify(x509.VerifyOptions{
				Roots: c.pool, DNSName: c.host, KeyUsages: []x509.ExtKeyUsage{c.usage},
			})
			if (err == nil) != c.ok {
				t.Fatalf("verify: %v, want ok=%v", err, c.ok)
			}
		})
	}
}

// The files hold what the loaded values hold: the leaves in dir under their
// names, the CA in File and wherever WriteCert puts it.
func TestCAFiles(t *testing.T) {
	dir := t.TempDir()
	ca := NewCA(t, "files")
	leaf := ca.IssueClient(t, dir, "who")
	if leaf.CertFile != filepath.Join(dir, "who.crt") || leaf.KeyFile != filepath.Join(dir, "who.key") {
		t.Errorf("leaf files %s %s, want who.crt and who.key in %s", leaf.CertFile, leaf.KeyFile, dir)
	}
	if got := pemDER(t, leaf.CertFile, "CERTIFICATE"); !bytes.Equal(got, leaf.TLS.Certificate[0]) {
		t.Errorf("%s differs from the loaded certificate", leaf.CertFile)
	}
	pemDER(t, leaf.KeyFile, "EC PRIVATE KEY")
	copied := filepath.Join(dir, "ca.pem")
	ca.WriteCert(t, copied)
	for _, f := range []string{ca.File, copied} {
		if got := pemDER(t, f, "CERTIFICATE"); !bytes.Equal(got, ca.Cert.Raw) {
			t.Errorf("%s differs from the CA certificate", f)
		}
	}
}

// pemDER reads path, which must hold exactly one PEM block of type typ.
func pemDER(t *testing.T, path, typ string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	block, rest := pem.Decode(b)
	if block == nil || block.Type != typ || len(bytes.TrimSpace(rest)) > 0 {
		t.Fatalf("%s: want one PEM block %q, got %.80q", path, typ, b)
	}
	return block.Bytes
}

// A real mutual-TLS handshake: trusted client passes, a stranger's is refused.
func TestCAHandshake(t *testing.T) {
	dir := t.TempDir()
	ca, clients, strangers := NewCA(t, "server-ca"), NewCA(t, "client-ca"), NewCA(t, "stranger-ca")
	server := ca.IssueServer(t, dir, "server")
	for _, c := range []struct {
		name string
		cert Leaf
		want string // part of the server's error; "" = success
	}{
		{"trusted client", clients.IssueClient(t, dir, "client"), ""},
		{"stranger", strangers.IssueClient(t, dir, "stranger"), "certificate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc, cc := net.Pipe()
			defer sc.Close()
			defer cc.Close()
			srv := tls.Server(sc, &tls.Config{
				Certificates: []tls.Certificate{server.TLS},
				ClientAuth:   tls.RequireAndVerifyClientCert, ClientCAs: clients.Pool(),
			})
			cli := tls.Client(cc, &tls.Config{
				RootCAs: ca.Pool(), ServerName: ServerDNSName, Certificates: []tls.Certificate{c.cert.TLS},
			})
			errs := make(chan error, 1)
			go func() {
				err := cli.Handshake()
				if err == nil {
					// In TLS 1.3 the client learns of a refusal on its first read.
					_, err = cli.Read(make([]byte, 1))
				}
				cc.Close()
				errs <- err
			}()
			err := srv.Handshake()
			if err == nil {
				_, err = srv.Write([]byte("x"))
			}
			cerr := <-errs
			if c.want == "" {
				if err != nil || cerr != nil {
					t.Fatalf("server %v, client %v; want success", err, cerr)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("server %v, want an error containing %q", err, c.want)
			}
		})
	}
}
