package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/units"
)

// dcgmSel selects dcgm-exporter's series chosen on the dashboard.
const dcgmSel = `job=~"$dcgm_job",instance=~"$dcgm_instance"`

// serverRows are the server's own view beside ours, with the names `profile`
// reads from /metrics: vLLM's queue, prefill and decode, its state, and the
// GPU's DCGM counters.
func serverRows() []section {
	return []section{
		{row("Server side (vLLM): where the time goes"), []cog.Builder[dashboard.Panel]{
			series("TTFT gap: client − vLLM (mean)", "Our mean TTFT minus vLLM's own mean TTFT per model: network, load balancer and client time outside the engine (recorded as model_name:aiperf_ttft_server_gap_seconds:mean_5m).", units.Seconds,
				query("("+mean("aiperf_time_to_first_token_seconds", sel)+") - on (model_name) group_left "+
					meanBy("vllm:time_to_first_token_seconds", vllmSel, "model_name"), legend)).Min(-1),
			series("vLLM queue, prefill and decode (mean)", "Mean time per request in vLLM's queue, prefill and decode phases.", units.Seconds,
				query(meanBy("vllm:request_queue_time_seconds", vllmSel, "model_name"), "{{model_name}} queue"),
				query(meanBy("vllm:request_prefill_time_seconds", vllmSel, "model_name"), "{{model_name}} prefill"),
				query(meanBy("vllm:request_decode_time_seconds", vllmSel, "model_name"), "{{model_name}} decode")),
			series("vLLM KV-cache usage", "Highest KV-cache usage per model (1 = full; above 0.9 requests start to be preempted).", units.PercentUnit,
				query(`max by (model_name) (vllm:kv_cache_usage_perc{`+vllmSel+`})`, "{{model_name}}")).Max(1),
			series("vLLM running and waiting requests", "Requests in vLLM's batches and in its queue; a growing queue is saturation.", units.Short,
				query(`sum by (model_name) (vllm:num_requests_running{`+vllmSel+`})`, "{{model_name}} running"),
				query(`sum by (model_name) (vllm:num_requests_waiting{`+vllmSel+`})`, "{{model_name}} waiting")),
			series("vLLM preemptions", "Requests preempted per second (memory pressure).", units.RequestsPerSecond,
				query(rate("vllm:num_preemptions_total", vllmSel, "model_name"), "{{model_name}}")),
		}},
		{row("GPU (dcgm-exporter)"), []cog.Builder[dashboard.Panel]{
			series("GPU utilisation", "DCGM_FI_DEV_GPU_UTIL per GPU.", units.Percent,
				query(`max by (Hostname, gpu) (DCGM_FI_DEV_GPU_UTIL{`+dcgmSel+`})`, "{{Hostname}} GPU {{gpu}}")).Max(100),
			series("GPU memory used", "DCGM_FI_DEV_FB_USED per GPU (MiB).", units.Mebibytes,
				query(`max by (Hostname, gpu) (DCGM_FI_DEV_FB_USED{`+dcgmSel+`})`, "{{Hostname}} GPU {{gpu}}")),
			series("GPU power", "DCGM_FI_DEV_POWER_USAGE per GPU.", units.Watt,
				query(`max by (Hostname, gpu) (DCGM_FI_DEV_POWER_USAGE{`+dcgmSel+`})`, "{{Hostname}} GPU {{gpu}}")),
			series("Energy per output token", "GPU energy (DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION, mJ) over tokens vLLM generated (vllm:generation_tokens_total), all selected GPUs and models together.", "suffix: J/token",
				query(rate("DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", dcgmSel, "")+" / 1000 / "+
					rate("vllm:generation_tokens_total", vllmSel, ""), "J per token")),
		}},
	}
}
