package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/servermetrics"
)

// Stat columns of each CSV section, AIPerf's (counters: the window's total
// and rate; with --slice-duration also serverSliceRateCols).
var (
	serverGaugeCols     = []string{"avg", "min", "max", "std", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99"}
	serverCounterCols   = []string{"total", "rate"}
	serverSliceRateCols = []string{"rate_avg", "rate_min", "rate_max", "rate_std"}
	serverHistogramCols = []string{"count", "count_rate", "sum", "sum_rate", "avg", "p1_estimate", "p5_estimate", "p10_estimate",
		"p25_estimate", "p50_estimate", "p75_estimate", "p90_estimate", "p95_estimate", "p99_estimate"}
)

// WriteServerMetricsCSV writes server_metrics_export.csv as AIPerf lays it
// out: comment lines, then one section per type (gauge, counter, histogram,
// unknown) separated by a blank line, each with Endpoint, Type, Metric,
// Unit, the type's statistics, one column per label, Description, and for
// histograms the bucket increases as "le=count;...".
func WriteServerMetricsCSV(w io.Writer, res *servermetrics.Result, info ServerMetricsInfo) error {
	fmt.Fprintf(w, "# AIPerf Server Metrics Export (CSV)\n# aiperf_version: %s\n# schema_version: %s\n#\n", info.Version, serverMetricsSchema)
	cw := csv.NewWriter(w)
	first := true
	for _, typ := range []string{servermetrics.TypeGauge, servermetrics.TypeCounter, servermetrics.TypeHistogram, servermetrics.TypeUnknown} {
		var ms []servermetrics.Metric
		for _, m := range res.Metrics {
			if m.Type == typ {
				ms = append(ms, m)
			}
		}
		if len(ms) == 0 {
			continue
		}
		if !first {
			_ = cw.Write(nil)
		}
		first = false
		writeServerSection(cw, typ, ms)
	}
	cw.Flush()
	return cw.Error()
}

func writeServerSection(cw *csv.Writer, typ string, ms []servermetrics.Metric) {
	cols := serverGaugeCols
	switch typ {
	case servermetrics.TypeCounter:
		cols = serverCounterCols
		if slicedCounters(ms) {
			cols = append(append([]string(nil), cols...), serverSliceRateCols...)
		}
	case servermetrics.TypeHistogram:
		cols = serverHistogramCols
	}
	labelSet := map[string]bool{}
	for _, m := range ms {
		for _, s := range m.Series {
			for k := range s.Labels {
				labelSet[k] = true
			}
		}
	}
	labels := make([]string, 0, len(labelSet))
	for k := range labelSet {
		labels = append(labels, k)
	}
	sort.Strings(labels)
	header := append(append(append([]string{"Endpoint", "Type", "Metric", "Unit"}, cols...), labels...), "Description")
	if typ == servermetrics.TypeHistogram {
		header = append(header, "buckets")
	}
	_ = cw.Write(header)
	for _, m := range ms {
		for _, s := range m.Series {
			row := []string{endpointDisplay(s.Endpoint), typ, m.Name, servermetrics.Unit(m.Name)}
			for _, c := range cols {
				row = append(row, serverStat(s, c))
			}
			for _, k := range labels {
				row = append(row, s.Labels[k])
			}
			row = append(row, m.Help)
			if s.Histogram != nil {
				var parts []string
				for _, b := range s.Histogram.Buckets {
					parts = append(parts, leString(b.Le)+"="+strconv.FormatInt(int64(b.Count), 10))
				}
				row = append(row, strings.Join(parts, ";"))
			}
			_ = cw.Write(row)
		}
	}
}

// serverStat is one statistic as AIPerf's CSV writes it: four decimals,
// counts as integers, empty when there is none.
func serverStat(s servermetrics.Series, col string) string {
	f4 := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		return strconv.FormatFloat(v, 'f', 4, 64)
	}
	switch {
	case s.Counter != nil:
		r := s.Counter.SliceRates
		switch {
		case col == "total":
			return f4(s.Counter.Total)
		case col == "rate":
			return f4(s.Counter.Rate)
		case r == nil:
			return ""
		case col == "rate_avg":
			return f4(r.Avg)
		case col == "rate_min":
			return f4(r.Min)
		case col == "rate_max":
			return f4(r.Max)
		}
		return f4(r.Std)
	case s.Histogram != nil:
		h := s.Histogram
		switch col {
		case "count":
			return strconv.FormatInt(int64(h.Count), 10)
		case "count_rate":
			return f4(h.CountRate)
		case "sum":
			return f4(h.Sum)
		case "sum_rate":
			return f4(h.SumRate)
		case "avg":
			return f4(h.Avg)
		}
		p, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(col, "p"), "_estimate"))
		return f4(h.Estimate(p))
	}
	g := s.Gauge
	if g.Count == 0 {
		return ""
	}
	v, _ := g.Stat(col)
	return f4(v)
}

// slicedCounters reports whether a counter has slice rates: the run was cut
// into slices, and the CSV then has AIPerf's rate_* columns.
func slicedCounters(ms []servermetrics.Metric) bool {
	for _, m := range ms {
		for _, s := range m.Series {
			if s.Counter != nil && s.Counter.SliceRates != nil {
				return true
			}
		}
	}
	return false
}

// endpointDisplay is an endpoint as AIPerf's CSV shows it: host:port, with
// the path only when it is not /metrics.
func endpointDisplay(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	if u.Path == "/metrics" || u.Path == "" {
		return u.Host
	}
	return u.Host + u.Path
}
