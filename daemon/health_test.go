package daemon

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/zap"
	"golang.org/x/crypto/bcrypt"

	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// With basic auth from --web.config.file on every path, kubelet probes go to
// --web.health-address: /-/healthy and /-/ready answer there without
// credentials, and nothing else does.
func TestHealthAddressUnderBasicAuth(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	webCfg := filepath.Join(t.TempDir(), "web.yml")
	if err := os.WriteFile(webCfg, []byte("basic_auth_users:\n  prom: "+string(hash)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mock := startMock(t, mockserver.Config{TTFT: time.Millisecond, ITL: time.Millisecond, OutputTokens: 2})
	o, s := baseOptions(t, "--model", "m", "--url", mock.URL, "--isl", "4", "--concurrency", "1",
		"--web.config.file", webCfg, "--shutdown.grace-period", "0")
	app, err := NewApp(o, s, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	main, err := Listen([]string{"127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	health, err := Listen([]string{"127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	app.Health = health[0]
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- app.Run(ctx, main) }()
	defer func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	base, probes := "http://"+main[0].Addr().String(), "http://"+health[0].Addr().String()
	eventually(t, 30*time.Second, 20*time.Millisecond, "readiness on the health address", func() bool {
		code, _ := get(t, probes+"/-/ready", nil)
		return code == http.StatusOK
	})
	for _, c := range []struct {
		url  string
		want int
	}{
		{probes + "/-/healthy", http.StatusOK},
		{probes + "/metrics", http.StatusNotFound},
		{probes + "/", http.StatusNotFound},
		{probes + "/-/reload", http.StatusNotFound},
		{base + "/-/healthy", http.StatusUnauthorized},
		{base + "/metrics", http.StatusUnauthorized},
	} {
		if code, _ := get(t, c.url, nil); code != c.want {
			t.Errorf("GET %s: %d, want %d", c.url, code, c.want)
		}
	}
}
