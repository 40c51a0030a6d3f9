package dashboards

import (
	"encoding/json"
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/units"
)

// UID is the dashboard's stable identifier, used in links and provisioning.
const UID = "aiperf-exporter"

// Build returns the aiperf-exporter dashboard.
func Build() (dashboard.Dashboard, error) {
	b := dashboard.NewDashboardBuilder("aiperf-exporter").
		Uid(UID).
		Description("Continuous audio probes of an OpenAI-compatible LLM server, measured client side by aiperf-exporter.").
		Tags([]string{"aiperf", "llm", "vllm"}).
		Refresh("30s").
		Time("now-3h", "now").
		Timezone(common.TimeZoneBrowser).
		Tooltip(dashboard.DashboardCursorSyncCrosshair).
		Variables(variables())
	for _, r := range append(rows(), serverRows()...) {
		b.WithRow(r.row)
		for _, p := range r.panels {
			b.WithPanel(p)
		}
	}
	d, err := b.Build()
	if err != nil {
		return dashboard.Dashboard{}, fmt.Errorf("build dashboard: %w", err)
	}
	numberPanels(&d)
	return d, nil
}

// numberPanels gives every panel and row a stable id in layout order, so
// links to a panel survive regeneration.
func numberPanels(d *dashboard.Dashboard) {
	for i := range d.Panels {
		id := uint32(i + 1)
		switch p := d.Panels[i]; {
		case p.Panel != nil:
			p.Panel.Id = &id
		case p.RowPanel != nil:
			p.RowPanel.Id = id
		}
	}
}

// JSON returns the dashboard as indented JSON with a trailing newline,
// exactly as committed in aiperf-exporter.json.
func JSON() ([]byte, error) {
	d, err := Build()
	if err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode dashboard: %w", err)
	}
	return append(out, '\n'), nil
}

// section is a row and the panels under it.
type section struct {
	row    *dashboard.RowBuilder
	panels []cog.Builder[dashboard.Panel]
}

func rows() []section {
	return []section{
		{row("Requests"), []cog.Builder[dashboard.Panel]{
			series("Request rate by outcome", "Finished probe requests per second by outcome.", units.RequestsPerSecond,
				query(rate("aiperf_requests_total", sel, by+", outcome"), legend+" {{outcome}}")),
			series("Errors by reason", "Failed probe requests per second by bounded reason.", units.RequestsPerSecond,
				query(rate("aiperf_request_errors_total", sel, by+", reason"), legend+" {{reason}}")),
			series("Success ratio", "Share of finished requests that succeeded.", units.PercentUnit,
				query(rate("aiperf_requests_total", sel+`,outcome="success"`, by)+" / "+
					rate("aiperf_requests_total", sel, by), legend)).Max(1),
			series("Time since last success", "Seconds since the last successful probe request.", units.Seconds,
				query(`time() - max by (`+by+`) (aiperf_last_success_timestamp_seconds{`+sel+`})`, legend)),
			series("Response budget refusals", "Requests per second the exporter ended because their response did not fit in --response-budget-mib. They also show as stream_error under Errors by reason, though the server may be fine; the alert AiperfExporterResponseBudgetRefusals fires on them.", units.RequestsPerSecond,
				query(rate("aiperf_exporter_response_budget_refusals_total", `job=~"$job",instance=~"$instance"`, "instance"), "{{instance}}")),
			series("Probes paused", "Share of the time the probes were paused because the target was unreachable (connection refused, DNS or TLS failure).", units.PercentUnit,
				query(rate("aiperf_probe_pause_seconds_total", sel, by), legend)).Max(1),
		}},
		{row("Latency quantiles"), []cog.Builder[dashboard.Panel]{
			quantiles("Time to first token", "aiperf_time_to_first_token_seconds"),
			quantiles("Time to first output token", "aiperf_time_to_first_output_token_seconds"),
			quantiles("Inter-token latency", "aiperf_inter_token_latency_seconds"),
			quantiles("Request latency", "aiperf_request_latency_seconds"),
			quantiles("Time to second token", "aiperf_time_to_second_token_seconds"),
			quantiles("Schedule lag", "aiperf_schedule_lag_seconds"),
		}},
		{row("Latency heatmaps"), []cog.Builder[dashboard.Panel]{
			latencyHeatmap("Time to first token", "aiperf_time_to_first_token_seconds"),
			latencyHeatmap("Inter-token latency", "aiperf_inter_token_latency_seconds"),
			latencyHeatmap("Request latency", "aiperf_request_latency_seconds"),
			latencyHeatmap("Time to first output token", "aiperf_time_to_first_output_token_seconds"),
		}},
		{row("Throughput and load"), []cog.Builder[dashboard.Panel]{
			series("Tokens per second", "Input, output and reasoning tokens per second.", "suffix: tok/s",
				query(rate("aiperf_input_tokens_total", sel, by), legend+" input"),
				query(rate("aiperf_output_tokens_total", sel, by), legend+" output"),
				query(rate("aiperf_reasoning_tokens_total", sel, by), legend+" reasoning")),
			series("Audio seconds sent per second", "Seconds of input audio sent per second of wall time.", "suffix: audio s/s",
				query(rate("aiperf_audio_seconds_total", sel, by), legend)),
			series("Word error rate", "Mean and p90 word error rate of answers scored against a reference transcript (--audio-source speech); empty without one. The alert AiperfWordErrorRateHigh watches the mean.", units.PercentUnit,
				query(mean("aiperf_word_error_rate", sel), legend+" mean"),
				query(quantile("0.9", "aiperf_word_error_rate", sel), legend+" p90")),
			series("Prompt audio tokens per second", "Audio tokens of the prompts per second, as the server's usage reports them.", "suffix: tok/s",
				query(rate("aiperf_input_audio_tokens_total", sel, by), legend)),
			series("In-flight vs configured concurrency", "Requests in flight against the configured concurrency.", units.Short,
				query(`sum by (`+by+`) (aiperf_requests_in_flight{`+sel+`})`, legend+" in flight"),
				query(`sum by (`+by+`) (aiperf_configured_concurrency{`+sel+`})`, legend+" configured")),
			series("Tokens per request", "Mean input and output tokens per request.", units.Short,
				query(mean("aiperf_request_input_tokens", sel), legend+" input"),
				query(mean("aiperf_request_output_tokens", sel), legend+" output")),
			series("Configured request rate", "Configured request rate (0 when driven by concurrency).", units.RequestsPerSecond,
				query(`sum by (`+by+`) (aiperf_configured_request_rate{`+sel+`})`, legend)),
			series("New HTTP connections", "New TCP connections opened per second; steady keep-alive shows near zero.", "cps",
				query(rate("aiperf_http_new_connections_total", sel, by), legend)),
		}},
		{row("HTTP phases"), []cog.Builder[dashboard.Panel]{
			series("HTTP phase p95", "p95 duration of each HTTP phase (dns, connect, tls, request written, first byte).", units.Seconds,
				query(`histogram_quantile(0.95, `+rate("aiperf_http_phase_duration_seconds_bucket", sel, "scenario, target, phase, le")+`)`, "{{scenario}} {{target}} {{phase}} p95")),
			series("HTTP phase mean", "Mean duration of each HTTP phase.", units.Seconds,
				query(rate("aiperf_http_phase_duration_seconds_sum", sel, "scenario, target, phase")+" / "+
					rate("aiperf_http_phase_duration_seconds_count", sel, "scenario, target, phase"), "{{scenario}} {{target}} {{phase}} mean")),
		}},
		{row("Client vs server (vLLM)"), []cog.Builder[dashboard.Panel]{
			clientVsServer("TTFT: client vs vLLM", "aiperf_time_to_first_token_seconds", "vllm:time_to_first_token_seconds"),
			clientVsServer("ITL: client vs vLLM", "aiperf_inter_token_latency_seconds", "vllm:inter_token_latency_seconds"),
			clientVsServer("Request latency: client vs vLLM e2e", "aiperf_request_latency_seconds", "vllm:e2e_request_latency_seconds"),
			series("TTFT p50 gap (client - vLLM)", "Client p50 TTFT per scenario and target minus vLLM's p50 TTFT of the model: time spent outside the engine.", units.Seconds,
				query(quantile("0.5", "aiperf_time_to_first_token_seconds", sel)+" - on (model_name) group_left "+
					quantileBy("0.5", "vllm:time_to_first_token_seconds", vllmSel, "model_name"), legend)).Min(-1),
		}},
	}
}
