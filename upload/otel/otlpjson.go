package otel

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The OTLP/JSON encoding of an ExportMetricsServiceRequest
// (opentelemetry-proto, metrics/v1): field names in lowerCamelCase, 64-bit
// integers as decimal strings, enums as numbers.

type keyValue struct {
	Key   string   `json:"key"`
	Value anyValue `json:"value"`
}

type anyValue struct {
	String *string  `json:"stringValue,omitempty"`
	Bool   *bool    `json:"boolValue,omitempty"`
	Int    *string  `json:"intValue,omitempty"`
	Double *float64 `json:"doubleValue,omitempty"`
}

func str(k, v string) keyValue { return keyValue{k, anyValue{String: &v}} }
func boolean(k string, v bool) keyValue {
	return keyValue{k, anyValue{Bool: &v}}
}
func integer(k string, v int64) keyValue {
	s := strconv.FormatInt(v, 10)
	return keyValue{k, anyValue{Int: &s}}
}
func double(k string, v float64) keyValue { return keyValue{k, anyValue{Double: &v}} }

// attrKey is a series' identity within one metric.
func attrKey(attrs []keyValue) string {
	var b strings.Builder
	for _, a := range attrs {
		b.WriteString(a.Key)
		b.WriteByte('=')
		v, _ := json.Marshal(a.Value)
		b.Write(v)
		b.WriteByte(';')
	}
	return b.String()
}

type exportRequest struct {
	ResourceMetrics []resourceMetrics `json:"resourceMetrics"`
}

type resourceMetrics struct {
	Resource     resource       `json:"resource"`
	ScopeMetrics []scopeMetrics `json:"scopeMetrics"`
}

type resource struct {
	Attributes []keyValue `json:"attributes"`
}

type scopeMetrics struct {
	Scope   scope    `json:"scope"`
	Metrics []metric `json:"metrics"`
}

type scope struct {
	Name string `json:"name"`
}

type metric struct {
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Unit        string         `json:"unit,omitempty"`
	Histogram   *histogramData `json:"histogram,omitempty"`
	Sum         *sumData       `json:"sum,omitempty"`
}

// cumulative is AGGREGATION_TEMPORALITY_CUMULATIVE.
const cumulative = 2

type histogramData struct {
	DataPoints             []histogramPoint `json:"dataPoints"`
	AggregationTemporality int              `json:"aggregationTemporality"`
}

type histogramPoint struct {
	Attributes        []keyValue `json:"attributes,omitempty"`
	StartTimeUnixNano string     `json:"startTimeUnixNano"`
	TimeUnixNano      string     `json:"timeUnixNano"`
	Count             string     `json:"count"`
	Sum               float64    `json:"sum"`
	BucketCounts      []string   `json:"bucketCounts"`
	ExplicitBounds    []float64  `json:"explicitBounds"`
	Min               float64    `json:"min"`
	Max               float64    `json:"max"`
}

type sumData struct {
	DataPoints             []numberPoint `json:"dataPoints"`
	AggregationTemporality int           `json:"aggregationTemporality"`
	IsMonotonic            bool          `json:"isMonotonic"`
}

type numberPoint struct {
	Attributes        []keyValue `json:"attributes,omitempty"`
	StartTimeUnixNano string     `json:"startTimeUnixNano"`
	TimeUnixNano      string     `json:"timeUnixNano"`
	AsInt             *string    `json:"asInt,omitempty"`
	AsDouble          *float64   `json:"asDouble,omitempty"`
}

func nanos(t time.Time) string { return strconv.FormatInt(t.UnixNano(), 10) }

// encode is the request body for the points accumulated up to now.
func (s *Stream) encode(now time.Time) ([]byte, error) {
	s.mu.Lock()
	var out []metric
	if s.cfg.Metrics {
		out = append(out, s.histogramMetrics(now)...)
	}
	if s.cfg.Timing && (!s.firstSend.IsZero() || s.sent.Load() > 0) {
		out = append(out, s.timingMetrics(now)...)
	}
	s.mu.Unlock()
	req := exportRequest{ResourceMetrics: []resourceMetrics{{
		Resource:     resource{Attributes: s.resource},
		ScopeMetrics: []scopeMetrics{{Scope: scope{Name: "aiperf.records"}, Metrics: out}},
	}}}
	return json.Marshal(req)
}

// histogramMetrics groups the series by metric name, in name order.
func (s *Stream) histogramMetrics(now time.Time) []metric {
	hs := make([]*histogram, 0, len(s.hists))
	for _, h := range s.hists {
		hs = append(hs, h)
	}
	sort.Slice(hs, func(i, j int) bool {
		if hs[i].name != hs[j].name {
			return hs[i].name < hs[j].name
		}
		return attrKey(hs[i].attrs) < attrKey(hs[j].attrs)
	})
	var out []metric
	for _, h := range hs {
		if len(out) == 0 || out[len(out)-1].Name != h.name {
			desc := "AIPerf streaming metric: " + strings.TrimPrefix(h.name, "aiperf.")
			if strings.HasPrefix(h.name, "gen_ai.") {
				desc = "GenAI semconv metric: " + h.name
			}
			out = append(out, metric{Name: h.name, Unit: h.unit, Description: desc, Histogram: &histogramData{AggregationTemporality: cumulative}})
		}
		counts := make([]string, len(h.counts))
		for i, c := range h.counts {
			counts[i] = strconv.FormatUint(c, 10)
		}
		hd := out[len(out)-1].Histogram
		hd.DataPoints = append(hd.DataPoints, histogramPoint{
			Attributes: h.attrs, StartTimeUnixNano: nanos(s.start), TimeUnixNano: nanos(now),
			Count: strconv.FormatUint(h.count, 10), Sum: h.sum, BucketCounts: counts, ExplicitBounds: h.bounds, Min: h.min, Max: h.max,
		})
	}
	return out
}

// timingMetrics are the phase's request counters (AIPerf's aiperf.timing.*
// from the credit phase stats), one series each.
func (s *Stream) timingMetrics(now time.Time) []metric {
	sent := max(s.sent.Load(), s.completed)
	elapsed := 0.0
	if !s.firstSend.IsZero() {
		elapsed = now.Sub(s.firstSend).Seconds()
	}
	was := 0.0
	if s.runCancelled {
		was = 1
	}
	counter := func(name string, v int64) metric {
		n := strconv.FormatInt(v, 10)
		return metric{Name: name, Unit: "1", Sum: &sumData{AggregationTemporality: cumulative, IsMonotonic: true,
			DataPoints: []numberPoint{{Attributes: s.timing, StartTimeUnixNano: nanos(s.start), TimeUnixNano: nanos(now), AsInt: &n}}}}
	}
	gauge := func(name, unit string, v float64) metric {
		return metric{Name: name, Unit: unit, Sum: &sumData{AggregationTemporality: cumulative,
			DataPoints: []numberPoint{{Attributes: s.timing, StartTimeUnixNano: nanos(s.start), TimeUnixNano: nanos(now), AsDouble: &v}}}}
	}
	return []metric{
		counter("aiperf.timing.requests.sent", sent),
		counter("aiperf.timing.requests.completed", s.completed),
		counter("aiperf.timing.requests.cancelled", s.cancelled),
		counter("aiperf.timing.requests.errors", s.errors),
		gauge("aiperf.timing.requests.in_flight", "1", float64(sent-s.completed)),
		gauge("aiperf.timing.phase.was_cancelled", "1", was),
		gauge("aiperf.timing.phase.elapsed_sec", "s", elapsed),
	}
}
