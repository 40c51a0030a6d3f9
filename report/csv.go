package report

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
)

// csvStats are the columns of the CSV's first section: AIPerf's STAT_KEYS
// (src/aiperf/common/constants.py, written by
// src/aiperf/exporters/metrics_csv_exporter.py), sum after max.
var csvStats = []string{"avg", "min", "max", "sum", "p1", "p5", "p10", "p25", "p50", "p75", "p90", "p95", "p99", "std"}

// WriteCSV writes profile_export_aiperf.csv as AIPerf does: per-request
// metrics with every statistic, a blank row, then one-value metrics; both
// sorted by tag; CRLF line ends like Python's csv module.
func WriteCSV(w io.Writer, res *metrics.Result) error {
	var perRequest, single []metrics.Metric
	for _, m := range exported(res) {
		if m.Has(metrics.AggregateMetric) {
			single = append(single, m)
		} else {
			perRequest = append(perRequest, m)
		}
	}
	var b strings.Builder
	row := func(fields ...string) { writeCSVRow(&b, fields...) }
	if len(perRequest) > 0 {
		row(append([]string{"Metric"}, csvStats...)...)
		for _, m := range perRequest {
			fields := []string{csvName(m)}
			for _, k := range csvStats {
				v, _ := statValue(m, k)
				fields = append(fields, fmt.Sprintf("%.2f", v))
			}
			row(fields...)
		}
		if len(single) > 0 {
			row()
		}
	}
	if len(single) > 0 {
		row("Metric", "Value")
		for _, m := range single {
			v := fmt.Sprintf("%.2f", m.Value)
			if m.Integer {
				v = strconv.FormatInt(m.Int, 10)
			}
			row(csvName(m), v)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// exported returns the metrics AIPerf writes to its CSV and JSON (everything
// but our extensions), sorted by tag.
func exported(res *metrics.Result) []metrics.Metric {
	var out []metrics.Metric
	for _, m := range res.Metrics {
		if !m.Has(metrics.Extension) {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Tag < out[j].Tag })
	return out
}

// csvName is "Header (unit)", without the unit for counts and requests.
func csvName(m metrics.Metric) string {
	switch strings.ToLower(m.Unit) {
	case "", "count", "requests":
		return m.Header
	}
	return m.Header + " (" + m.Unit + ")"
}

// csvQuote quotes like Python's csv.QUOTE_MINIMAL.
// writeCSVRow writes one CSV row, quoted as AIPerf's csv module does, with
// the CRLF line end Python's csv writer uses.
func writeCSVRow(b *strings.Builder, fields ...string) {
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(csvQuote(f))
	}
	b.WriteString("\r\n")
}

func csvQuote(s string) string {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
