package mockserver

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/aiperf-exporter/aiperf-exporter/servermetrics"
)

func scrape(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	snap, err := servermetrics.Scrape(context.Background(), http.DefaultClient, url, "")
	if err != nil {
		t.Fatal(err)
	}
	return snap.Families
}

func histOf(t *testing.T, fams map[string]*dto.MetricFamily, name string) *dto.Histogram {
	t.Helper()
	f, ok := fams[name]
	if !ok || len(f.GetMetric()) != 1 {
		t.Fatalf("%s: missing or not one series", name)
	}
	return f.GetMetric()[0].GetHistogram()
}

// TestMetricsFollowTruth checks the vLLM-shaped histograms hold exactly what
// the truth stamps say the mock did.
func TestMetricsFollowTruth(t *testing.T) {
	srv := start(t, Config{TTFT: 3 * time.Millisecond, ITL: time.Millisecond, OutputTokens: 5})
	const n = 4
	var ttft, e2e, decode, itl float64
	gaps := 0
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("m%d", i)
		resp, _ := post(t, srv.URL+"/v1/chat/completions", id, chatBody("hello there world", true, nil))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
		tr, ok := srv.Server.Truth(id)
		if !ok {
			t.Fatal("no truth")
		}
		first, last := tr.ChunkNs[0], tr.ChunkNs[len(tr.ChunkNs)-1]
		ttft += float64(first-tr.ArrivalNs) / 1e9
		e2e += float64(last-tr.ArrivalNs) / 1e9
		decode += float64(last-first) / 1e9
		itl += float64(last-first) / 1e9 // the gaps add up to first..last
		gaps += len(tr.ChunkNs) - 1
	}
	fams := scrape(t, srv.URL+"/metrics")
	for _, c := range []struct {
		name  string
		count int
		sum   float64
	}{
		{"vllm:time_to_first_token_seconds", n, ttft},
		{"vllm:e2e_request_latency_seconds", n, e2e},
		{"vllm:request_decode_time_seconds", n, decode},
		{"vllm:inter_token_latency_seconds", gaps, itl},
		{"vllm:request_queue_time_seconds", n, 0},
	} {
		h := histOf(t, fams, c.name)
		if int(h.GetSampleCount()) != c.count || math.Abs(h.GetSampleSum()-c.sum) > 1e-6 {
			t.Errorf("%s: count %d sum %v, want %d %v", c.name, h.GetSampleCount(), h.GetSampleSum(), c.count, c.sum)
		}
	}
	if v := fams["vllm:request_success_total"].GetMetric()[0].GetCounter().GetValue(); v != n {
		t.Errorf("vllm:request_success_total %v, want %d", v, n)
	}
	if v := fams["vllm:generation_tokens_total"].GetMetric()[0].GetCounter().GetValue(); v != 5*n {
		t.Errorf("vllm:generation_tokens_total %v, want %d", v, 5*n)
	}
	if v := fams["vllm:num_requests_running"].GetMetric()[0].GetGauge().GetValue(); v != 0 {
		t.Errorf("vllm:num_requests_running %v after every request ended, want 0", v)
	}
}

func TestFakeGPUEnergyGrows(t *testing.T) {
	srv := start(t, Config{})
	energy := func() float64 {
		f := scrape(t, srv.URL+"/dcgm/metrics")["DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"]
		if f.GetType() != dto.MetricType_COUNTER {
			t.Fatalf("energy is %v, want a counter", f.GetType())
		}
		m := f.GetMetric()[0]
		for _, l := range m.GetLabel() {
			if l.GetName() == "modelName" && !strings.Contains(l.GetValue(), "fake") {
				t.Errorf("modelName %q does not say the numbers are fake", l.GetValue())
			}
		}
		return m.GetCounter().GetValue()
	}
	a := energy()
	time.Sleep(10 * time.Millisecond)
	// At least the idle draw over the 10 ms slept: 60 W x 0.01 s = 600 mJ.
	if b := energy(); b-a < gpuIdleWatts*10 {
		t.Errorf("energy went from %v to %v mJ in 10 ms, want at least %v more", a, b, gpuIdleWatts*10)
	}
}

// TestMetricsPassPromtool runs `promtool check metrics` on both endpoints.
func TestMetricsPassPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool not installed")
	}
	srv := start(t, Config{OutputTokens: 3})
	post(t, srv.URL+"/v1/chat/completions", "p1", chatBody("hi", true, nil))
	// vLLM's names have colons and dcgm-exporter's break the naming lints
	// (upper case, camelCase labels, an energy counter without _total); the
	// mock copies both on purpose. Anything else is a defect.
	for path, expected := range map[string][]string{
		"/metrics":      {"should not contain ':'"},
		"/dcgm/metrics": {"snake_case", `should have "_total" suffix`},
	} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(promtool, "check", "metrics")
		cmd.Stdin = resp.Body
		out, err := cmd.CombinedOutput()
		resp.Body.Close()
	lines:
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			for _, e := range expected {
				if strings.Contains(line, e) {
					continue lines
				}
			}
			if line != "" {
				t.Errorf("promtool check metrics %s: %s (%v)", path, line, err)
			}
		}
	}
}
