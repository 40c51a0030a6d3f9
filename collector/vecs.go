package collector

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

var probeLabels = []string{LabelScenario, LabelModel, LabelTarget}

func with(extra string) []string { return append(append([]string{}, probeLabels...), extra) }

// histogramFamily is a histogram family partitioned by labels: a *histVec, or
// in tests the *prometheus.HistogramVec it replaces.
type histogramFamily interface {
	prometheus.Collector
	WithLabelValues(lvs ...string) prometheus.Observer
}

// newFamily makes the histogram families of newVecs.
type newFamily func(opts prometheus.HistogramOpts, labels []string) histogramFamily

func ourFamily(opts prometheus.HistogramOpts, labels []string) histogramFamily {
	return newHistVec(opts, labels)
}

func counter(name, help string, labels []string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
}

func gauge(name, help string) *prometheus.GaugeVec {
	return prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, probeLabels)
}

// newVecs defines every probe metric: the contract table of docs/design.md.
func newVecs(family newFamily) *Collector {
	histogram := func(name, help string, buckets []float64) histogramFamily {
		return family(histogramOpts(name, help, buckets), probeLabels)
	}
	return &Collector{
		ttft: histogram("aiperf_time_to_first_token_seconds",
			"Time from sending a streamed request to its first content or reasoning response.", TTFTBuckets),
		ttst: histogram("aiperf_time_to_second_token_seconds",
			"Time from the first to the second response of a streamed request.", ITLBuckets),
		ttfo: histogram("aiperf_time_to_first_output_token_seconds",
			"Time from sending a streamed request to its first content (non-reasoning) response.", TTFTBuckets),
		itl: histogram("aiperf_inter_token_latency_seconds",
			"Per-request inter-token latency: (last response - first response) / (output tokens - 1).", ITLBuckets),
		latency: histogram("aiperf_request_latency_seconds",
			"Time from sending a request to its last response.", LatencyBuckets),
		lag: histogram("aiperf_schedule_lag_seconds",
			"How late a request was sent compared with its schedule; large values mean the prober itself fell behind.", LagBuckets),
		phase: family(histogramOpts("aiperf_http_phase_duration_seconds",
			"Duration of each HTTP phase of a request (httptrace): dns, connect, tls, request_written (upload), first_byte (server wait).",
			PhaseBuckets), with("phase")),
		inTokens: histogram("aiperf_request_input_tokens",
			"Input sequence length of successful requests, in tokens.", TokenBuckets),
		outTokens: histogram("aiperf_request_output_tokens",
			"Output sequence length (output plus reasoning tokens) of successful requests.", TokenBuckets),
		audio: histogram("aiperf_request_audio_seconds",
			"Seconds of audio sent per request.", AudioBuckets),
		wer: histogram("aiperf_word_error_rate",
			"Word error rate of successful answers against the reference transcript (requests with one only; 0 is a perfect transcript, above 1 possible).", WERBuckets),

		requests: counter("aiperf_requests_total",
			"Finished requests by outcome (success: no error and at least one response).", with("outcome")),
		errors: counter("aiperf_request_errors_total",
			"Failed requests by reason.", with("reason")),
		inTokTotal: counter("aiperf_input_tokens_total",
			"Input tokens sent, successful and failed requests.", probeLabels),
		outTokTotal: counter("aiperf_output_tokens_total",
			"Output tokens received, excluding reasoning tokens.", probeLabels),
		reasoningTotal: counter("aiperf_reasoning_tokens_total",
			"Reasoning tokens received.", probeLabels),
		audioTotal: counter("aiperf_audio_seconds_total",
			"Seconds of audio sent.", probeLabels),
		audioTokTotal: counter("aiperf_input_audio_tokens_total",
			"Prompt audio tokens of successful requests, as the server's usage reports them (prompt_tokens_details.audio_tokens).", probeLabels),
		newConns: counter("aiperf_http_new_connections_total",
			"Requests that opened a new connection instead of reusing one.", probeLabels),
		skipped: counter("aiperf_stream_skipped_events_total",
			"Malformed streamed events skipped.", probeLabels),
		stampSources: counter("aiperf_stamped_requests_total",
			"Requests with stamped responses, by what stamped their arrivals: kernel (receive stamps of every response) or userspace (the reader's clock).", with("source")),
		pauses: counter("aiperf_probe_pauses_total",
			"Pauses of a scenario's probes because its target was unreachable or answered only errors (backoff).", probeLabels),
		pauseSeconds: counter("aiperf_probe_pause_seconds_total",
			"Seconds a scenario's probes were paused because its target was unreachable or answered only errors.", probeLabels),

		inFlight: gauge("aiperf_requests_in_flight",
			"Requests sent and not yet finished."),
		concurrency: gauge("aiperf_configured_concurrency",
			"Configured concurrency of the scenario (closed loop size, or the in-flight cap with a rate)."),
		rate: gauge("aiperf_configured_request_rate",
			"Configured request rate of the scenario in requests per second; 0 means closed loop."),
		lastSuccess: gauge("aiperf_last_success_timestamp_seconds",
			"Unix time at which the newest successful request finished."),

		last: map[[3]string]float64{},
	}
}

func reasons() []string {
	out := make([]string, len(record.Reasons))
	for i, r := range record.Reasons {
		out[i] = string(r)
	}
	return out
}
