package daemon

import (
	"net/http"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// With basic auth from --web.config.file on every path, kubelet probes go to
// --web.health-address: /-/healthy and /-/ready answer there without
// credentials, and nothing else does.
func TestHealthAddressUnderBasicAuth(t *testing.T) {
	webCfg := basicAuthWebConfig(t)
	mock := mocktest.Start(t, mockserver.Config{TTFT: time.Millisecond, ITL: time.Millisecond, OutputTokens: 2})
	o, s := baseOptions(t, "--model", "m", "--url", mock.URL, "--isl", "4", "--concurrency", "1",
		"--web.config.file", webCfg, "--shutdown.grace-period", "0")
	health, err := Listen([]string{"127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := startAppWith(t, o, s, func(app *App) { app.Health = health[0] })
	base, probes := a.base, "http://"+health[0].Addr().String()
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
