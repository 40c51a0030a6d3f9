package daemon

import (
	"bytes"
	"context"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/aiperf-exporter/aiperf-exporter/internal/mocktest"
	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// chromiumPath finds Debian's headless-capable chromium, or skips the test.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium not installed (Debian: apt-get install chromium); skipping the browser test of the landing page")
	return ""
}

// runChromium runs headless chromium with args plus url, in its own process
// group that is killed afterwards so no renderer outlives the test, and
// returns its stdout and stderr.
func runChromium(t *testing.T, bin, url string, args ...string) (string, string) {
	t.Helper()
	home := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	all := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--user-data-dir=" + filepath.Join(home, "profile")}, args...)
	cmd := exec.CommandContext(ctx, bin, append(all, url)...)
	cmd.Env = append(os.Environ(), "HOME="+home)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // leftovers of the group, if any
	}
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, tail(stderr.String(), 2000))
	}
	return stdout.String(), stderr.String()
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// The daemon probes the mock server (one request in five fails with a 500) and
// headless Chromium loads its landing page: the probes are listed, successes and
// failures alike, both charts are drawn, and the auto-refresh keeps the page whole.
func TestLandingPageInChromium(t *testing.T) {
	bin := chromiumPath(t)
	if testing.Short() {
		t.Skip("browser test takes several seconds")
	}
	mock := mocktest.Start(t, mockserver.Config{TTFT: 40 * time.Millisecond,
		ITL: 10 * time.Millisecond, Seed: 1, Faults: mockserver.Faults{Error500: 0.2}})
	o, sv := chromiumOptions(t, mock.URL)
	ra := startApp(t, o, sv)
	h := ra.app.Daemon.History
	eventually(t, 60*time.Second, 50*time.Millisecond, "ten probes, some failed", func() bool {
		tot := h.Totals("ui")
		return tot.Probes >= 10 && tot.Successes > 0 && tot.Failed() > 0
	})
	url := ra.base + "/"

	// Let the refresh script run once (virtual time) before the DOM is dumped.
	dom, logs := runChromium(t, bin, url, "--virtual-time-budget=7000", "--enable-logging=stderr", "--v=0", "--dump-dom")
	if strings.Contains(logs, "Uncaught") {
		t.Errorf("script error in the page:\n%s", grep(logs, "Uncaught"))
	}
	doc, err := html.Parse(strings.NewReader(dom))
	if err != nil {
		t.Fatal(err)
	}
	rows := find(doc, "tr", "probe")
	var ok, failed int
	for _, r := range rows {
		switch txt := text(r); {
		case strings.Contains(txt, "success") && strings.Contains(txt, "mock-model"):
			ok++
		case strings.Contains(txt, "http_5xx") && hasClass(r, "error"):
			failed++
		}
	}
	if len(rows) < 10 || ok == 0 || failed == 0 || ok+failed != len(rows) {
		t.Fatalf("chromium shows %d probe rows (%d successes, %d failures):\n%s", len(rows), ok, failed, tail(dom, 3000))
	}
	if n := len(find(doc, "section", "scenario")); n != 1 || !strings.Contains(dom, "Scenario ui") {
		t.Errorf("%d scenario sections, want the one named ui", n)
	}
	charts := find(doc, "svg", "chart")
	if len(charts) != 2 || len(find(charts[0], "circle", "ok")) == 0 || len(find(charts[1], "path", "err")) == 0 {
		t.Errorf("charts not drawn: %d charts", len(charts))
	}

	// The rendered page shows the charts' blue dots and the failures' red.
	shot := filepath.Join(t.TempDir(), "landing.png")
	runChromium(t, bin, url, "--window-size=1280,1600", "--hide-scrollbars", "--screenshot="+shot)
	blue, red := countColours(t, shot, color.RGBA{0x1f, 0x77, 0xb4, 0xff}, color.RGBA{0xd6, 0x27, 0x28, 0xff})
	if blue < 50 || red < 10 {
		t.Errorf("screenshot %s: %d blue and %d red pixels; charts not rendered?", shot, blue, red)
	}
	if dir := os.Getenv("AIPERF_SCREENSHOT_DIR"); dir != "" {
		b, _ := os.ReadFile(shot)
		if err := os.WriteFile(filepath.Join(dir, "landing.png"), b, 0o644); err != nil {
			t.Errorf("keep screenshot: %v", err)
		}
	}
}

func chromiumOptions(t *testing.T, target string) (*options.Options, *options.Serve) {
	t.Helper()
	args := []string{"--model", "mock-model", "--url", target, "--streaming", "--concurrency", "1",
		"--isl", "20", "--osl", "8", "--audio-length-mean", "0.5", "--random-seed", "7",
		"--scenario", "ui", "--web.history-size", "25", "--shutdown.grace-period", "1"}
	return validOptions(t, args...)
}

// countColours counts the pixels of the PNG at path close to each of a and b.
func countColours(t *testing.T, path string, a, b color.RGBA) (int, int) {
	t.Helper()
	img := testkit.ReadPNG(t, path)
	near := func(c, w color.RGBA) bool {
		d := func(x, y uint8) int { return max(int(x)-int(y), int(y)-int(x)) }
		return d(c.R, w.R) < 30 && d(c.G, w.G) < 30 && d(c.B, w.B) < 30
	}
	var na, nb int
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if near(c, a) {
				na++
			} else if near(c, b) {
				nb++
			}
		}
	}
	return na, nb
}
