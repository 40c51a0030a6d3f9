package servermetrics

import "math"

// Role is one quantity the console puts beside the client's, with its
// metric name on each server; the first name a run exposes wins.
type Role struct {
	Key   string
	Title string
	Unit  string // of the exposed values
	Names []string
}

// Server-side latency histograms, in seconds. TGI has no first-token
// histogram; its per-token figure is a per-request mean.
var (
	TTFT = Role{"ttft", "Time to First Token", "s", []string{
		"vllm:time_to_first_token_seconds", "sglang:time_to_first_token_seconds",
		"trtllm_time_to_first_token_seconds"}}
	E2E = Role{"e2e", "Request Latency", "s", []string{
		"vllm:e2e_request_latency_seconds", "sglang:e2e_request_latency_seconds",
		"trtllm_e2e_request_latency_seconds", "tgi_request_duration"}}
	ITL = Role{"itl", "Inter Token Latency", "s", []string{
		"vllm:inter_token_latency_seconds", "vllm:time_per_output_token_seconds",
		"sglang:inter_token_latency_seconds", "sglang:time_per_output_token_seconds",
		"trtllm_time_per_output_token_seconds", "tgi_request_mean_time_per_token_duration"}}
	Queue = Role{"queue", "Queue Time", "s", []string{
		"vllm:request_queue_time_seconds", "sglang:queue_time_seconds",
		"trtllm_request_queue_time_seconds", "tgi_request_queue_duration"}}
	Prefill = Role{"prefill", "Prefill Time", "s", []string{
		"vllm:request_prefill_time_seconds", "trtllm_request_prefill_time_seconds"}}
	Decode = Role{"decode", "Decode Time", "s", []string{
		"vllm:request_decode_time_seconds", "trtllm_request_decode_time_seconds",
		"tgi_request_inference_duration"}}
)

// Server-side counters.
var (
	Finished = Role{"finished", "Requests Finished", "requests", []string{
		"vllm:request_success_total", "sglang:num_requests_total",
		"trtllm_request_success_total", "tgi_request_success"}}
	Preempted = Role{"preempted", "Requests Preempted", "requests", []string{
		"vllm:num_preemptions_total"}}
)

// Server-side gauges, reduced to min/avg/max over the samples.
var (
	KVCache = Role{"kv_cache", "KV-Cache Usage", "ratio", []string{
		"vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc", "sglang:token_usage",
		"trtllm_kv_cache_utilization"}}
	Running = Role{"running", "Requests Running", "requests", []string{
		"vllm:num_requests_running", "sglang:num_running_reqs",
		"trtllm_num_requests_running", "tgi_batch_current_size"}}
	Waiting = Role{"waiting", "Requests Waiting", "requests", []string{
		"vllm:num_requests_waiting", "sglang:num_queue_reqs",
		"trtllm_num_requests_waiting", "tgi_queue_size"}}
)

// dcgm-exporter's default counters (etc/default-counters.csv).
var (
	GPUUtil = Role{"gpu_util", "GPU Utilization", "%", []string{"DCGM_FI_DEV_GPU_UTIL"}}
	GPUMem  = Role{"gpu_memory_used", "GPU Memory Used", "MiB", []string{"DCGM_FI_DEV_FB_USED"}}
	GPUPow  = Role{"gpu_power", "GPU Power", "W", []string{"DCGM_FI_DEV_POWER_USAGE"}}
	// GPUEnergy is a counter of millijoules since boot.
	GPUEnergy = Role{"gpu_energy", "GPU Energy", "mJ", []string{"DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION"}}
)

// first returns the first of role's metrics the run exposed, of type typ.
func (r *Result) first(role Role, typ string) (Metric, bool) {
	for _, n := range role.Names {
		if m, ok := r.Lookup(n); ok && m.Type == typ {
			return m, true
		}
	}
	return Metric{}, false
}

// Histogram merges every series of role's histogram (all endpoints and
// labels whose buckets share the first series' bounds) and estimates its
// quantiles from the merged bucket increases.
func (r *Result) Histogram(role Role) (string, HistogramStats, bool) {
	m, ok := r.first(role, TypeHistogram)
	if !ok {
		return "", HistogramStats{}, false
	}
	var buckets []Bucket
	count, sum, resets := 0.0, 0.0, 0
	window := 0.0 // the longest window of the merged endpoints
	for _, s := range m.Series {
		sh := s.Histogram
		if buckets == nil {
			buckets = append([]Bucket(nil), sh.Buckets...)
		} else if sameBounds(buckets, sh.Buckets) {
			for i := range sh.Buckets {
				buckets[i].Count += sh.Buckets[i].Count
			}
		} else {
			continue
		}
		count += sh.Count
		sum += sh.Sum
		resets += sh.Resets
		for _, e := range r.Endpoints {
			if e.URL == s.Endpoint {
				window = max(window, e.Window().Seconds())
			}
		}
	}
	h := histogramStats(count, sum, buckets, window)
	h.Resets = resets
	return m.Name, h, true
}

// CounterTotal adds up role's counter over every series.
func (r *Result) CounterTotal(role Role) (string, float64, bool) {
	m, ok := r.first(role, TypeCounter)
	if !ok {
		return "", 0, false
	}
	total := 0.0
	for _, s := range m.Series {
		total += s.Counter.Total
	}
	return m.Name, total, true
}

// GaugeRange is a gauge over every series: the lowest minimum, the mean of
// the series' averages, the highest maximum.
type GaugeRange struct {
	Min, Avg, Max float64
	Series        int
}

// Gauge reduces role's gauge over every series that has samples.
func (r *Result) Gauge(role Role) (string, GaugeRange, bool) {
	m, ok := r.first(role, TypeGauge)
	if !ok {
		return "", GaugeRange{}, false
	}
	g := GaugeRange{Min: math.Inf(1), Max: math.Inf(-1)}
	for _, s := range m.Series {
		if s.Gauge.Count == 0 {
			continue
		}
		g.Min = min(g.Min, s.Gauge.Min)
		g.Max = max(g.Max, s.Gauge.Max)
		g.Avg += s.Gauge.Avg
		g.Series++
	}
	if g.Series == 0 {
		return "", GaugeRange{}, false
	}
	g.Avg /= float64(g.Series)
	return m.Name, g, true
}
