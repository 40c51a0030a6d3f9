package collector

import (
	"strconv"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/model"
)

// histSnapshot is what the OpenMetrics writer needs of a hist, copied under its
// lock so observations wait only for the copy. Its slices are reused.
type histSnapshot struct {
	count     uint64
	sum       float64
	cum       []uint64        // cumulative count per classic bound
	exemplars []*dto.Exemplar // per classic bound, +Inf last; never changed once made
}

func (h *hist) snapshot(s *histSnapshot) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s.count, s.sum = h.count, h.sum
	s.cum = s.cum[:0]
	var cum uint64
	for _, n := range h.classic {
		cum += n
		s.cum = append(s.cum, cum)
	}
	s.exemplars = append(s.exemplars[:0], h.exemplars...)
}

// appendOpenMetrics appends the series' lines in the OpenMetrics 1.0 text
// format straight from its state (s is scratch space): byte for byte what
// appendHistogramFamily writes for the metric Write fills
// (TestHistFamilyMatchesWrite), without building that metric. It reports
// false, with b cut back to where it was, when appendHistogramFamily would
// leave the series to expfmt: a label name that needs quoting. The family's
// name is the caller's to check (histConfig.plainName).
func (h *hist) appendOpenMetrics(b []byte, s *histSnapshot) ([]byte, bool) {
	if !h.plainLabels {
		return b, false
	}
	start, name := len(b), h.cfg.name
	h.snapshot(s)
	ok := true
	for i, le := range h.cfg.les {
		b = append(b, h.bucketPrefix...)
		b = append(b, le...)
		b = append(b, `"} `...)
		b = strconv.AppendUint(b, s.cum[i], 10)
		if b, ok = appendPlainExemplar(b, s.exemplars[i]); !ok {
			return b[:start], false
		}
		b = append(b, '\n')
	}
	b = append(b, h.bucketPrefix...)
	b = append(b, `+Inf"} `...)
	b = strconv.AppendUint(b, s.count, 10)
	if b, ok = appendPlainExemplar(b, s.exemplars[len(h.cfg.les)]); !ok {
		return b[:start], false
	}
	b = append(b, '\n')
	b = appendSeries(b, name, "_sum", h.omLabels)
	b = appendOMFloat(b, s.sum)
	b = append(b, '\n')
	b = appendSeries(b, name, "_count", h.omLabels)
	b = strconv.AppendUint(b, s.count, 10)
	return append(b, '\n'), true
}

// appendPlainExemplar appends e as appendHistogramFamily does (nothing when e
// is nil or has no label), or reports false when e has a label name that
// needs quoting. Exemplars of a hist always have a valid timestamp.
func appendPlainExemplar(b []byte, e *dto.Exemplar) ([]byte, bool) {
	if e == nil || len(e.Label) == 0 {
		return b, true
	}
	for _, l := range e.Label {
		if !model.LegacyValidation.IsValidLabelName(l.GetName()) {
			return b, false
		}
	}
	return appendExemplar(b, e), true
}

// appendOpenMetricsHeader appends the HELP and TYPE lines of the family of c,
// as appendHistogramFamily writes them for what the registry gathers.
func (c *histConfig) appendOpenMetricsHeader(b []byte) []byte {
	return appendHeader(b, c.name, &c.help, " histogram\n")
}
