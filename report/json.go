package report

import (
	"io"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
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

// jsonStats are a per-request metric's keys after unit, in the order of
// AIPerf's JsonMetricResult (src/aiperf/common/models/export_models.py,
// schema 1.1+: count and sum after std, on per-request metrics only).
var jsonStats = []string{"avg", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "min", "max", "std", "count", "sum"}

// WriteJSON writes profile_export_aiperf.json in AIPerf's layout: each metric tag maps
// to its unit and statistics (one-value metrics: unit and avg), then
// input_config, was_cancelled, error_summary, start_time and end_time.
//
// Our extensions, after AIPerf's fields: "schedule_lag" (how late requests
// left compared with their schedule, ms statistics) and "token_source" (the
// token counter used: tokenizer, server or words), then "http_phases" (per
// HTTP phase ms statistics and connection counts, see httpPhases) when the
// records have phase timings (RunInfo.Tally, which WriteAll fills). "dropped_late_requests"
// counts requests dropped for ending after --benchmark-duration + grace
// (RunInfo.DroppedLateRequests) and "skipped_stream_events" the malformed
// stream events skipped in the reported records (RunInfo.Tally; 0 without
// one). "partial": true marks a report of a run that did not finish
// (RunInfo.Partial). RunInfo.Extra fields follow, unless already written.
func WriteJSON(w io.Writer, res *metrics.Result, info RunInfo) error {
	o := &object{}
	// The schema our export follows: AIPerf's 1.1, per-request metrics with
	// count and sum (docs/reference/json-export-schema.md). Later versions'
	// run_info, warmup_metrics and telemetry_data are not written.
	o.set("schema_version", jsonSchemaVersion)
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
	if m, ok := res.Get(metrics.ScheduleLag); ok { // our extension
		o.set(metrics.ScheduleLag, jsonMetric(m))
	}
	// Ours too, only when a request waited for a --concurrency slot (--request-rate with a cap).
	if m, ok := res.Get(metrics.SlotWait); ok && m.Stats.Max > 0 {
		o.set(metrics.SlotWait, jsonMetric(m))
	}
	src := info.TokenSource
	if src == "" {
		src = res.TokenSource
	}
	o.set("token_source", src)
	o.set(droppedLateKey, info.DroppedLateRequests)
	o.set(skippedEventsKey, info.Tally.skipped())
	if info.Partial {
		o.set(partialKey, true)
	}
	if p := info.Tally.httpPhases(); p != nil {
		o.set("http_phases", p)
	}
	for _, f := range info.Extra { // carried over from a source export
		if !o.has(f.Key) {
			o.set(f.Key, f.Value)
		}
	}

	return writeIndented(w, o, "json export")
}

// jsonSchemaVersion is the version of AIPerf's JSON export schema we write.
const jsonSchemaVersion = "1.1"

// Keys of our run-level JSON extensions.
const (
	droppedLateKey   = "dropped_late_requests"
	skippedEventsKey = "skipped_stream_events"
	// partialKey marks the export of a run that did not finish (killed):
	// rebuilt by `report` from the records it had written.
	partialKey = "partial"
)

// SkippedEvents is the total of malformed stream events skipped in the
// records a report covers (warmup and records dropped for ending late excluded).
func SkippedEvents(records []*record.Record) int {
	n := 0
	for _, r := range records {
		if r.Counted() {
			n += r.SkippedEvents
		}
	}
	return n
}

func jsonMetric(m metrics.Metric) *object {
	o := &object{}
	o.set("unit", m.Unit)
	if m.Has(metrics.AggregateMetric) {
		o.set("avg", pyFloat(m.Value))
		return o
	}
	for _, k := range jsonStats {
		if k == "count" {
			o.set(k, m.Stats.Count)
			continue
		}
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
