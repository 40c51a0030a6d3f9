package testkit

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// ServerDNSName is the DNS name, besides the IP 127.0.0.1, that server
// certificates from IssueServer are valid for.
const ServerDNSName = "llm.internal"

// CA is a self-signed ECDSA P-256 certificate authority made for one test,
// valid from an hour ago to an hour from now.
type CA struct {
	// Cert is the CA certificate.
	Cert *x509.Certificate
	// File is the CA certificate as PEM, in a temporary directory of its own.
	File string

	der []byte
	key *ecdsa.PrivateKey
}

// Leaf is a certificate issued by a CA, both loaded and as PEM files.
type Leaf struct {
	TLS      tls.Certificate
	CertFile string // dir/name.crt
	KeyFile  string // dir/name.key, an EC private key
}

// NewCA makes a CA whose subject common name is name and writes its
// certificate to File; it fails t on any error.
func NewCA(t testing.TB, name string) *CA {
	t.Helper()
	key, tmpl := keyAndTemplate(t, name)
	tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature
	tmpl.BasicConstraintsValid = true
	tmpl.IsCA = true
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	ca := &CA{Cert: cert, der: der, key: key, File: filepath.Join(t.TempDir(), name+"-ca.pem")}
	ca.WriteCert(t, ca.File)
	return ca
}

// Pool is a certificate pool holding only this CA.
func (ca *CA) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(ca.Cert)
	return p
}

// WriteCert writes the CA certificate as PEM to path, for configurations
// that name it relative to their own file.
func (ca *CA) WriteCert(t testing.TB, path string) {
	t.Helper()
	writePEM(t, path, "CERTIFICATE", ca.der)
}

// IssueServer signs a server certificate (ExtKeyUsageServerAuth) for the IP
// 127.0.0.1 and ServerDNSName, written as dir/name.crt and dir/name.key.
func (ca *CA) IssueServer(t testing.TB, dir, name string) Leaf {
	t.Helper()
	return ca.issue(t, dir, name, true)
}

// IssueClient signs a client certificate (ExtKeyUsageClientAuth) with
// common name name, written as dir/name.crt and dir/name.key.
func (ca *CA) IssueClient(t testing.TB, dir, name string) Leaf {
	t.Helper()
	return ca.issue(t, dir, name, false)
}

func (ca *CA) issue(t testing.TB, dir, name string, server bool) Leaf {
	t.Helper()
	key, tmpl := keyAndTemplate(t, name)
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
		tmpl.DNSNames = []string{ServerDNSName}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	leaf := Leaf{CertFile: filepath.Join(dir, name+".crt"), KeyFile: filepath.Join(dir, name+".key")}
	writePEM(t, leaf.CertFile, "CERTIFICATE", der)
	writePEM(t, leaf.KeyFile, "EC PRIVATE KEY", keyDER)
	if leaf.TLS, err = tls.LoadX509KeyPair(leaf.CertFile, leaf.KeyFile); err != nil {
		t.Fatal(err)
	}
	return leaf
}

// keyAndTemplate is a new P-256 key and a certificate template for common
// name name, valid from an hour ago to an hour from now.
func keyAndTemplate(t testing.TB, name string) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key, &x509.Certificate{
		SerialNumber: serial(t),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
	}
}

// serial is a random 128-bit certificate serial number.
func serial(t testing.TB) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func writePEM(t testing.TB, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
}
