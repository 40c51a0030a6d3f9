package collector

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/model"
)

// appendFamily appends mf in the OpenMetrics 1.0 text format as expfmt would
// and reports true, or appends nothing and reports false when neither fast
// writer handles it.
func appendFamily(b []byte, mf *dto.MetricFamily) ([]byte, bool) {
	if mf.GetType() == dto.MetricType_HISTOGRAM {
		return appendHistogramFamily(b, mf)
	}
	return appendScalarFamily(b, mf)
}

// appendScalarFamily appends a counter (named ..._total) or gauge family in
// the OpenMetrics 1.0 text format, byte for byte what
// expfmt.MetricFamilyToOpenMetrics writes (without _created lines), and
// reports true. Anything else (other types, a counter without the _total
// suffix, a UNIT, names that need quoting, sample timestamps, exemplars) is
// left to expfmt: nothing appended, false.
func appendScalarFamily(b []byte, mf *dto.MetricFamily) ([]byte, bool) {
	name, typ := mf.GetName(), ""
	switch mf.GetType() {
	case dto.MetricType_COUNTER:
		if !strings.HasSuffix(name, "_total") {
			return b, false
		}
		typ = " counter\n"
	case dto.MetricType_GAUGE:
		typ = " gauge\n"
	default:
		return b, false
	}
	if mf.Unit != nil || !model.LegacyValidation.IsValidMetricName(name) {
		return b, false
	}
	for _, m := range mf.Metric {
		if !plainScalar(m, mf.GetType()) {
			return b, false
		}
	}
	family := strings.TrimSuffix(name, "_total") // the counter's family name, as HELP and TYPE name it
	if mf.GetType() == dto.MetricType_GAUGE {
		family = name
	}
	b = appendHeader(b, family, mf.Help, typ)
	var labels []byte
	for _, m := range mf.Metric {
		labels = appendLabels(labels[:0], m.Label)
		b = appendSeries(b, name, "", labels)
		if m.Counter != nil {
			b = appendOMFloat(b, m.Counter.GetValue())
		} else {
			b = appendOMFloat(b, m.Gauge.GetValue())
		}
		b = append(b, '\n')
	}
	return b, true
}

// plainScalar reports whether m is a counter or gauge (as typ says) without
// sample timestamp or exemplar, with legacy label names: what
// appendScalarFamily writes.
func plainScalar(m *dto.Metric, typ dto.MetricType) bool {
	switch {
	case m.TimestampMs != nil:
		return false
	case typ == dto.MetricType_COUNTER && (m.Counter == nil || m.Counter.Exemplar != nil):
		return false
	case typ == dto.MetricType_GAUGE && m.Gauge == nil:
		return false
	}
	for _, l := range m.Label {
		if !model.LegacyValidation.IsValidLabelName(l.GetName()) {
			return false
		}
	}
	return true
}

// appendHistogramFamily appends mf in the OpenMetrics 1.0 text format, byte for
// byte what expfmt.MetricFamilyToOpenMetrics writes (without _created lines),
// and reports true. It handles the plain classic histograms this package
// exports; for anything else (another type, a UNIT, names that need quoting,
// sample timestamps, float histograms) it appends nothing and reports false, so
// the caller falls back to expfmt.
//
// expfmt spends most of a scrape re-validating the metric name and re-escaping
// every label value on each of the ~3,000 bucket lines of 10 scenarios; here the
// labels of a series are rendered once and reused for all its lines, and the
// `le` values once per family.
func appendHistogramFamily(b []byte, mf *dto.MetricFamily) ([]byte, bool) {
	name := mf.GetName()
	if mf.GetType() != dto.MetricType_HISTOGRAM || mf.Unit != nil || !model.LegacyValidation.IsValidMetricName(name) {
		return b, false
	}
	for _, m := range mf.Metric {
		if !plainHistogram(m) {
			return b, false
		}
	}
	b = appendHeader(b, name, mf.Help, " histogram\n")

	var les []string // rendered upper bounds, shared by the family's series
	var bounds []float64
	var labels []byte // `{name="value",...` of the current series, without the closing brace
	for _, m := range mf.Metric {
		labels = appendLabels(labels[:0], m.Label)
		h := m.Histogram
		infSeen := false
		for i, bk := range h.Bucket {
			ub := bk.GetUpperBound()
			if i >= len(les) || bounds[i] != ub {
				les = append(les[:i], string(appendOMFloat(nil, ub)))
				bounds = append(bounds[:i], ub)
			}
			b = appendBucketPrefix(b, name, labels)
			b = append(b, les[i]...)
			b = append(b, `"} `...)
			b = strconv.AppendUint(b, bk.GetCumulativeCount(), 10)
			if e := bk.Exemplar; e != nil && len(e.Label) > 0 {
				b = appendExemplar(b, e)
			}
			b = append(b, '\n')
			infSeen = infSeen || math.IsInf(ub, +1)
		}
		if !infSeen {
			b = appendBucketPrefix(b, name, labels)
			b = append(b, `+Inf"} `...)
			b = strconv.AppendUint(b, h.GetSampleCount(), 10)
			b = append(b, '\n')
		}
		b = appendSeries(b, name, "_sum", labels)
		b = appendOMFloat(b, h.GetSampleSum())
		b = append(b, '\n')
		b = appendSeries(b, name, "_count", labels)
		b = strconv.AppendUint(b, h.GetSampleCount(), 10)
		b = append(b, '\n')
	}
	return b, true
}

// plainHistogram reports whether m is a classic histogram with integer counts,
// no sample timestamp and legacy label names: what appendHistogramFamily writes.
func plainHistogram(m *dto.Metric) bool {
	h := m.Histogram
	if h == nil || m.TimestampMs != nil || h.GetSampleCountFloat() > 0 {
		return false
	}
	for _, l := range m.Label {
		if !model.LegacyValidation.IsValidLabelName(l.GetName()) {
			return false
		}
	}
	for _, bk := range h.Bucket {
		if bk.GetCumulativeCountFloat() > 0 {
			return false
		}
		if e := bk.Exemplar; e != nil {
			if e.Timestamp != nil && e.Timestamp.CheckValid() != nil {
				return false
			}
			for _, l := range e.Label {
				if !model.LegacyValidation.IsValidLabelName(l.GetName()) {
					return false
				}
			}
		}
	}
	return true
}

// appendLabels appends `{a="x",b="y"` (or just `{`): the series' labels, open
// for one more label or the closing brace.
func appendLabels(b []byte, ls []*dto.LabelPair) []byte {
	b = append(b, '{')
	for i, l := range ls {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, l.GetName()...)
		b = append(b, `="`...)
		b = appendEscaped(b, l.GetValue())
		b = append(b, '"')
	}
	return b
}

func appendBucketPrefix(b []byte, name string, labels []byte) []byte {
	b = append(b, name...)
	b = append(b, "_bucket"...)
	b = append(b, labels...)
	if len(labels) > 1 {
		b = append(b, ',')
	}
	return append(b, `le="`...)
}

// appendSeries appends name+suffix, the labels and the space before the value.
func appendSeries(b []byte, name, suffix string, labels []byte) []byte {
	b = append(b, name...)
	b = append(b, suffix...)
	if len(labels) > 1 {
		b = append(b, labels...)
		b = append(b, '}')
	}
	return append(b, ' ')
}

func appendExemplar(b []byte, e *dto.Exemplar) []byte {
	b = append(b, " # "...)
	b = appendLabels(b, e.Label)
	b = append(b, "} "...)
	b = appendOMFloat(b, e.GetValue())
	if e.Timestamp != nil {
		b = append(b, ' ')
		b = appendOMFloat(b, float64(e.Timestamp.AsTime().UnixNano())/1e9)
	}
	return b
}

// appendOMFloat formats f as OpenMetrics does: shortest representation, with
// ".0" on integral values so they read as floats, and negative zero as zero.
func appendOMFloat(b []byte, f float64) []byte {
	switch {
	case f == 0:
		return append(b, "0.0"...)
	case math.IsNaN(f):
		return append(b, "NaN"...)
	case math.IsInf(f, +1):
		return append(b, "+Inf"...)
	case math.IsInf(f, -1):
		return append(b, "-Inf"...)
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'g', -1, 64)
	if !bytes.ContainsAny(b[start:], "e.") {
		b = append(b, ".0"...)
	}
	return b
}

// appendEscaped appends s with backslash, newline and double quote escaped.
func appendEscaped(b []byte, s string) []byte {
	if !strings.ContainsAny(s, "\\\n\"") {
		return append(b, s...)
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b = append(b, `\\`...)
		case '\n':
			b = append(b, `\n`...)
		case '"':
			b = append(b, `\"`...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// appendHeader appends a family's HELP line (when it has help) and its TYPE
// line; typ is the type with its leading space and the newline, " counter\n".
func appendHeader(b []byte, family string, help *string, typ string) []byte {
	if help != nil {
		b = append(b, "# HELP "...)
		b = append(b, family...)
		b = append(b, ' ')
		b = appendEscaped(b, *help)
		b = append(b, '\n')
	}
	b = append(b, "# TYPE "...)
	b = append(b, family...)
	return append(b, typ...)
}
