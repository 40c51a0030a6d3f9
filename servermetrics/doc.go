// Package servermetrics scrapes Prometheus endpoints during a `profile` run:
// the inference server's own /metrics (vLLM, SGLang, TGI, TensorRT-LLM) and
// dcgm-exporter's GPU telemetry. It turns what changed over the run window
// into AIPerf's server-metrics statistics: counter and histogram deltas (with
// counter resets handled as PromQL's increase() does), gauge min/avg/max over
// the samples, and histogram quantiles estimated from bucket deltas by the
// linear interpolation of PromQL's histogram_quantile.
//
// A scrape that fails or returns garbage never fails the run: the collector
// warns once per endpoint, keeps what it already has and counts the failure
// in the endpoint's info, so the exports say what is missing.
package servermetrics
