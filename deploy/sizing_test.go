package deploy

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
)

// The Deployment's memory is sized from a measurement: `serve --mock` with the
// Deployment's own settings (its clip length, output limit, concurrency) peaks
// (VmHWM) within the request plus a quarter, and well inside the limit. The
// peak comes from the dataset of audio clips built at start, so a few dozen
// requests show it. deploy/README.md "Sizing" says how to measure other clips.
func TestDeploymentMemoryIsMeasured(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/<pid>/status")
	}
	dep := decodeFile[*appsv1.Deployment](t, filepath.Join(k8sDir, "base", "deployment.yaml"))
	c := dep.Spec.Template.Spec.Containers[0]
	request, limit := c.Resources.Requests[corev1.ResourceMemory], c.Resources.Limits[corev1.ResourceMemory]
	addr := testkit.FreeAddr(t)
	cmd := exec.Command(exporterBinary(t), "serve", "--mock", "--mock.ttft", "1", "--mock.itl", "1")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			cmd.Env = append(cmd.Env, e.Name+"="+e.Value)
		}
	}
	cmd.Env = append(cmd.Env, "AIPERF_WEB_LISTEN_ADDRESS="+addr, "AIPERF_WEB_HEALTH_ADDRESS=127.0.0.1:0")
	logs := startCmd(t, cmd)
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, body := httpBody("http://" + addr + "/metrics")
		if code == http.StatusOK && seriesTotal(body, "aiperf_request_audio_seconds_count") >= 30 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no 30 audio requests within 60 s (status %d); logs:\n%.3000s", code, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	peak := peakRSS(t, cmd.Process.Pid)
	t.Logf("peak RSS %d MiB with the Deployment's settings; request %s, limit %s", peak>>20, request.String(), limit.String())
	if float64(peak) > 1.25*float64(request.Value()) {
		t.Errorf("peak RSS %d MiB is more than a quarter above the memory request %s: raise the request", peak>>20, request.String())
	}
	if float64(peak) > 0.75*float64(limit.Value()) {
		t.Errorf("peak RSS %d MiB leaves under a quarter of the limit %s: raise the limit", peak>>20, limit.String())
	}
}

// peakRSS reads the peak resident set size (VmHWM) of a process, in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}
