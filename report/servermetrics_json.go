package report

import (
	"io"
	"math"
	"strconv"

	"github.com/aiperf-exporter/aiperf-exporter/servermetrics"
)

// AIPerf's server-metrics export names.
const (
	ServerMetricsJSONFile = "server_metrics_export.json"
	ServerMetricsCSVFile  = "server_metrics_export.csv"
)

// serverMetricsSchema is the schema_version AIPerf's export carries.
const serverMetricsSchema = "1.0"

// ServerMetricsInfo is what the server-metrics exports say besides the metrics.
type ServerMetricsInfo struct {
	Version     string // ours, written as aiperf_version
	InputConfig any    // as RunInfo.InputConfig
	Names       Names  // as RunInfo.Names
}

// WriteServerMetricsJSON writes server_metrics_export.json in AIPerf's shape:
// summary (endpoints configured and successful, window, per-endpoint fetch
// info) and metrics keyed by name, each with its series' statistics.
// Histogram quantiles are p*_estimate (from bucket increases); gauge
// percentiles are exact. Our additions: endpoint_info's failed_fetches and
// last_error, and kind ("server" or "gpu"), so a reader sees what is missing.
func WriteServerMetricsJSON(w io.Writer, res *servermetrics.Result, info ServerMetricsInfo) error {
	o := &object{}
	o.set("schema_version", serverMetricsSchema)
	o.set("aiperf_version", info.Version)
	o.set("summary", serverSummary(res))
	metrics := &object{}
	for _, m := range res.Metrics {
		metrics.set(m.Name, serverMetric(m))
	}
	o.set("metrics", metrics)
	if info.InputConfig != nil {
		o.set("input_config", info.InputConfig)
	}
	if err := writeIndented(w, o, "server metrics"); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func serverSummary(res *servermetrics.Result) *object {
	configured, successful := []string{}, []string{}
	eps := &object{}
	for _, e := range res.Endpoints {
		configured = append(configured, e.URL)
		if e.OK() {
			successful = append(successful, e.URL)
		}
		ei := &object{}
		ei.set("kind", e.Kind)
		ei.set("total_fetches", e.Fetches)
		ei.set("failed_fetches", e.Failures)
		if e.OK() {
			ei.set("first_fetch_ns", e.First.UnixNano())
			ei.set("last_fetch_ns", e.Last.UnixNano())
			ei.set("avg_fetch_latency_ms", pyFloat(float64(e.AvgLatency)/1e6))
			ei.set("duration_seconds", pyFloat(e.Window().Seconds()))
		}
		if e.LastError != "" {
			ei.set("last_error", e.LastError)
		}
		eps.set(e.URL, ei)
	}
	s := &object{}
	s.set("endpoints_configured", configured)
	s.set("endpoints_successful", successful)
	s.set("start_time", pyTime(res.Start))
	s.set("end_time", pyTime(res.End))
	s.set("endpoint_info", eps)
	return s
}

func serverMetric(m servermetrics.Metric) *object {
	o := &object{}
	o.set("type", m.Type)
	o.set("description", m.Help)
	if u := servermetrics.Unit(m.Name); u != "" {
		o.set("unit", u)
	}
	series := make([]*object, 0, len(m.Series))
	for _, s := range m.Series {
		so := &object{}
		so.set("endpoint_url", s.Endpoint)
		if len(s.Labels) > 0 {
			so.set("labels", s.Labels)
		}
		switch {
		case s.Counter != nil:
			st := &object{}
			st.set("total", pyFloat(s.Counter.Total))
			st.set("rate", pyFloat(s.Counter.Rate))
			if r := s.Counter.SliceRates; r != nil {
				st.set("rate_avg", pyFloat(r.Avg))
				st.set("rate_min", pyFloat(r.Min))
				st.set("rate_max", pyFloat(r.Max))
				st.set("rate_std", pyFloat(r.Std))
			}
			if s.Counter.Resets > 0 {
				st.set("resets", s.Counter.Resets)
			}
			so.set("stats", st)
		case s.Histogram != nil:
			so.set("stats", histogramStats(s.Histogram))
			so.set("buckets", bucketObject(s.Histogram.Buckets))
		default:
			so.set("stats", gaugeStats(s.Gauge))
		}
		if len(s.Timeslices) > 0 {
			so.set("timeslices", timeslices(s.Timeslices))
		}
		series = append(series, so)
	}
	o.set("series", series)
	return o
}

func gaugeStats(g *servermetrics.GaugeStats) *object {
	st := &object{}
	if g.Count == 0 {
		return st
	}
	for _, k := range serverGaugeCols { // the CSV's columns, in the JSON's order too
		v, _ := g.Stat(k)
		st.set(k, pyFloat(v))
	}
	return st
}

func histogramStats(h *servermetrics.HistogramStats) *object {
	st := &object{}
	st.set("count", int64(h.Count))
	if h.Count == 0 {
		return st
	}
	st.set("sum", pyFloat(h.Sum))
	st.set("avg", pyFloat(h.Avg))
	st.set("count_rate", pyFloat(h.CountRate))
	st.set("sum_rate", pyFloat(h.SumRate))
	for i, p := range servermetrics.Percentiles {
		st.set("p"+strconv.Itoa(p)+"_estimate", pyFloat(h.Estimates[i]))
	}
	if h.Resets > 0 {
		st.set("resets", h.Resets)
	}
	return st
}

// bucketObject is the bucket increases keyed by upper bound, "+Inf" last.
func bucketObject(bs []servermetrics.Bucket) *object {
	o := &object{}
	for _, b := range bs {
		o.set(leString(b.Le), int64(b.Count))
	}
	return o
}

func leString(le float64) string {
	if math.IsInf(le, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(le, 'g', -1, 64)
}
