package mockserver

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The fake GPU's model: an idle draw, a share per running request, and
// memory that grows with running requests. The numbers are made up; only
// the names and shapes are dcgm-exporter's.
const (
	gpuIdleWatts       = 60
	gpuWattsPerRequest = 50
	gpuUtilPerRequest  = 25 // percent, capped at 100
	gpuMemTotalMiB     = 81920
	gpuMemBaseMiB      = 1024
	gpuMemPerRequest   = 512
)

// fakeGPU is a DCGM-shaped endpoint for tests: dcgm-exporter's default
// counters for one GPU labelled "Mock GPU (fake numbers)", driven by the
// mock's running requests. Energy is the power integrated over time.
type fakeGPU struct {
	reg *prometheus.Registry

	mu       sync.Mutex
	last     time.Time
	running  int
	energyMJ float64
}

func newFakeGPU() *fakeGPU {
	g := &fakeGPU{reg: prometheus.NewRegistry(), last: time.Now()}
	labels := prometheus.Labels{"gpu": "0", "UUID": "GPU-00000000-0000-0000-0000-000000000000", "device": "nvidia0",
		"modelName": "Mock GPU (fake numbers)", "Hostname": "mock"}
	gauge := func(name, help string, f func(running int) float64) {
		g.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help, ConstLabels: labels},
			func() float64 { return f(g.runningNow()) }))
	}
	gauge("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", func(n int) float64 { return min(100, float64(gpuUtilPerRequest*n)) })
	gauge("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", func(n int) float64 { return float64(usedMiB(n)) })
	gauge("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", func(n int) float64 { return float64(gpuMemTotalMiB - usedMiB(n)) })
	gauge("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", func(n int) float64 { return power(n) })
	gauge("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", func(n int) float64 { return 40 + float64(min(n, 20)) })
	g.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION",
		Help: "Total energy consumption since boot (in mJ).", ConstLabels: labels}, g.energy))
	return g
}

func power(running int) float64 { return gpuIdleWatts + gpuWattsPerRequest*float64(running) }

func usedMiB(running int) int { return min(gpuMemTotalMiB, gpuMemBaseMiB+gpuMemPerRequest*running) }

// advance adds the energy drawn since the last call at the running count
// then, and records the count from now on.
func (g *fakeGPU) advance(now time.Time, running int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if dt := now.Sub(g.last).Seconds(); dt > 0 {
		g.energyMJ += power(g.running) * dt * 1000
		g.last = now
	}
	g.running = running
}

func (g *fakeGPU) runningNow() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.running
}

func (g *fakeGPU) energy() float64 {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.energyMJ
}
