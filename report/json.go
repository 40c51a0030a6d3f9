package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
)

// jsonMetricOrder is the field order of AIPerf's JsonExportData model; other
// metrics follow the run fields, as pydantic dumps "extra" fields last.
var jsonMetricOrder = []string{
	metrics.RequestThroughput, metrics.RequestLatency, metrics.RequestCount, metrics.TTFT,
	metrics.TTST, metrics.ITL, metrics.OutputTokenThroughput, metrics.OutputTPSPerUser,
	metrics.OSL, metrics.ISL, metrics.Goodput, metrics.GoodRequestCount,
	metrics.OutputTokenCount, metrics.ReasoningTokenCount, metrics.MinRequestTimestamp,
	metrics.MaxResponseTimestamp, metrics.ICL, metrics.TotalOutputTokens,
	metrics.TotalReasoningTokens, metrics.BenchmarkDuration, metrics.TotalISL, metrics.TotalOSL,
	metrics.ErrorRequestCount, metrics.ErrorISL, metrics.TotalErrorISL,
}

// jsonStats are a per-request metric's keys after unit, in model order.
var jsonStats = []string{"avg", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "min", "max", "std"}

// WriteJSON writes profile_export_aiperf.json (spec §4): each metric tag maps
// to its unit and statistics (one-value metrics: unit and avg), then
// input_config, was_cancelled, error_summary, start_time and end_time.
//
// Our extensions, after AIPerf's fields: "schedule_lag" (how late requests
// left compared with their schedule, ms statistics) and "token_source" (the
// token counter used: tokenizer, server or words), then "http_phases" (per
// HTTP phase ms statistics and connection counts, see httpPhases) when the
// records have phase timings (WriteAll passes them).
func WriteJSON(w io.Writer, res *metrics.Result, info RunInfo) error {
	o := &object{}
	done := map[string]bool{}
	for _, tag := range jsonMetricOrder {
		if m, ok := res.Get(tag); ok {
			o.set(tag, jsonMetric(m))
			done[tag] = true
		}
	}
	if info.InputConfig != nil {
		o.set("input_config", info.InputConfig)
	}
	o.set("was_cancelled", res.WasCancelled || info.Cancelled)
	summary := make([]any, 0, len(res.Errors))
	for _, e := range res.Errors {
		details := &object{}
		if e.Error.Code != 0 {
			details.set("code", e.Error.Code)
		}
		if e.Error.Type != "" {
			details.set("type", e.Error.Type)
		}
		details.set("message", e.Error.Message)
		item := &object{}
		item.set("error_details", details)
		item.set("count", e.Count)
		summary = append(summary, item)
	}
	o.set("error_summary", summary)
	start, end := info.Start, info.End
	if start.IsZero() && res.FirstStartNs != 0 {
		start = time.Unix(0, res.FirstStartNs)
	}
	if end.IsZero() && res.LastEndNs != 0 {
		end = time.Unix(0, res.LastEndNs)
	}
	o.set("start_time", timeOrNil(start))
	o.set("end_time", timeOrNil(end))
	for _, m := range exported(res) { // metrics AIPerf's model does not declare, by tag
		if !done[m.Tag] {
			o.set(m.Tag, jsonMetric(m))
		}
	}
	if m, ok := res.Get(metrics.ScheduleLag); ok {
		o.set(metrics.ScheduleLag, jsonMetric(m))
	}
	src := info.TokenSource
	if src == "" {
		src = res.TokenSource
	}
	o.set("token_source", src)
	if p := httpPhases(info.records); p != nil {
		o.set("http_phases", p)
	}

	compact, err := marshal(o)
	if err != nil {
		return fmt.Errorf("encode json export: %w", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return fmt.Errorf("indent json export: %w", err)
	}
	_, err = w.Write(out.Bytes())
	return err
}

func jsonMetric(m metrics.Metric) *object {
	o := &object{}
	o.set("unit", m.Unit)
	if m.Has(metrics.AggregateMetric) {
		o.set("avg", pyFloat(m.Value))
		return o
	}
	for _, k := range jsonStats {
		v, _ := statValue(m, k)
		o.set(k, pyFloat(v))
	}
	return o
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return pyTime(t)
}
