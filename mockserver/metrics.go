package mockserver

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// vLLM's bucket edges (vllm/v1/metrics/loggers.py), so a scrape of the mock
// reads like a scrape of vLLM.
var (
	vllmTTFTBuckets    = []float64{0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560}
	vllmITLBuckets     = []float64{0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80}
	vllmRequestBuckets = []float64{0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680}
)

// kvCapacity is how many running requests fill the mock's pretend KV cache.
const kvCapacity = 256

// maxModelLabels bounds the model_name values: the mock accepts any model
// name when none is configured.
const maxModelLabels = 16

// serverMetrics is the mock's vLLM-shaped /metrics, fed by what each request
// really did (its truth stamps), on a registry of its own. The mock has no
// queue: queue time is 0, prefill is arrival to first token, decode is first
// to last token, and end-to-end is arrival to last token (vLLM stops its
// clock when the engine finishes, before the HTTP layer sends the end).
type serverMetrics struct {
	reg                                  *prometheus.Registry
	ttft, e2e, itl, queue, prefill       *prometheus.HistogramVec
	decode, inference                    *prometheus.HistogramVec
	success                              *prometheus.CounterVec
	promptTokens, genTokens, preemptions *prometheus.CounterVec
	gpu                                  *fakeGPU

	mu      sync.Mutex
	running int
	models  map[string]bool
}

func newServerMetrics() *serverMetrics {
	m := &serverMetrics{reg: prometheus.NewRegistry(), models: map[string]bool{}, gpu: newFakeGPU()}
	labels := []string{"model_name", "engine"}
	hist := func(name, help string, buckets []float64) *prometheus.HistogramVec {
		h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels)
		m.reg.MustRegister(h)
		return h
	}
	counter := func(name, help string, extra ...string) *prometheus.CounterVec {
		c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, append(labels, extra...))
		m.reg.MustRegister(c)
		return c
	}
	gauge := func(name, help string, f func() float64) {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help,
			ConstLabels: prometheus.Labels{"model_name": "mock-model", "engine": "0"}}, f))
	}
	m.ttft = hist("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", vllmTTFTBuckets)
	m.e2e = hist("vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", vllmRequestBuckets)
	m.itl = hist("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", vllmITLBuckets)
	m.queue = hist("vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request (always 0: the mock has no queue).", vllmRequestBuckets)
	m.prefill = hist("vllm:request_prefill_time_seconds", "Histogram of time spent in PREFILL phase for request.", vllmRequestBuckets)
	m.decode = hist("vllm:request_decode_time_seconds", "Histogram of time spent in DECODE phase for request.", vllmRequestBuckets)
	m.inference = hist("vllm:request_inference_time_seconds", "Histogram of time spent in RUNNING phase for request.", vllmRequestBuckets)
	m.success = counter("vllm:request_success_total", "Count of successfully processed requests.", "finished_reason")
	m.promptTokens = counter("vllm:prompt_tokens_total", "Number of prefill tokens processed.")
	m.genTokens = counter("vllm:generation_tokens_total", "Number of generation tokens processed.")
	m.preemptions = counter("vllm:num_preemptions_total", "Cumulative number of preemption from the engine (always 0 in the mock).")
	m.preemptions.WithLabelValues("mock-model", "0")
	gauge("vllm:num_requests_running", "Number of requests in model execution batches.", func() float64 { return float64(m.runningNow()) })
	gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed (always 0: the mock has no queue).", func() float64 { return 0 })
	gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage (mock: running requests / 256).", func() float64 {
		return min(1, float64(m.runningNow())/kvCapacity)
	})
	return m
}

func (m *serverMetrics) runningNow() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.running
}

// began counts a request as running.
func (m *serverMetrics) began() {
	m.mu.Lock()
	m.running++
	m.gpu.advance(time.Now(), m.running)
	m.mu.Unlock()
}

// finished stops counting tr as running and observes what it did.
func (m *serverMetrics) finished(tr *Truth) {
	m.mu.Lock()
	m.running--
	m.gpu.advance(time.Now(), m.running)
	model := m.modelLabel(tr.Model)
	m.mu.Unlock()
	if tr.Status != http.StatusOK || len(tr.ChunkNs) == 0 {
		return
	}
	secs := func(a, b int64) float64 { return float64(b-a) / 1e9 }
	first, last := tr.ChunkNs[0], tr.ChunkNs[len(tr.ChunkNs)-1]
	m.ttft.WithLabelValues(model, "0").Observe(secs(tr.ArrivalNs, first))
	m.queue.WithLabelValues(model, "0").Observe(0)
	m.prefill.WithLabelValues(model, "0").Observe(secs(tr.ArrivalNs, first))
	m.decode.WithLabelValues(model, "0").Observe(secs(first, last))
	m.inference.WithLabelValues(model, "0").Observe(secs(tr.ArrivalNs, last))
	itl := m.itl.WithLabelValues(model, "0")
	for i := 1; i < len(tr.ChunkNs); i++ {
		itl.Observe(secs(tr.ChunkNs[i-1], tr.ChunkNs[i]))
	}
	m.promptTokens.WithLabelValues(model, "0").Add(float64(tr.PromptTokens))
	m.genTokens.WithLabelValues(model, "0").Add(float64(tr.CompletionTokens))
	if tr.FinishReason != "" {
		m.e2e.WithLabelValues(model, "0").Observe(secs(tr.ArrivalNs, last))
		m.success.WithLabelValues(model, "0", tr.FinishReason).Inc()
	}
}

// modelLabel is the request's model, or "other" past maxModelLabels names;
// m.mu must be held.
func (m *serverMetrics) modelLabel(model string) string {
	if model == "" {
		model = "mock-model"
	}
	if !m.models[model] && len(m.models) >= maxModelLabels {
		return "other"
	}
	m.models[model] = true
	return model
}

func (m *serverMetrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// gpuHandler serves the fake GPU's DCGM-shaped metrics, brought up to now first.
func (m *serverMetrics) gpuHandler() http.Handler {
	h := promhttp.HandlerFor(m.gpu.reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.mu.Lock()
		m.gpu.advance(time.Now(), m.running)
		m.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}
