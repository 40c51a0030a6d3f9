package plot

import (
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// sample is one profiling record as the charts see it.
type sample struct {
	at    float64 // seconds from the first request's start
	valid bool
	audio float64 // seconds of audio sent
	m     metrics.Request
}

// samplesOf keeps the records the report counts (no warmup, none late for the
// duration) with their per-request metrics.
func samplesOf(recs []*record.Record) []sample {
	var first int64
	for _, r := range recs {
		if r.Counted() && (first == 0 || r.StartNs < first) {
			first = r.StartNs
		}
	}
	out := make([]sample, 0, len(recs))
	for _, r := range recs {
		if !r.Counted() {
			continue
		}
		out = append(out, sample{
			at:    float64(r.StartNs-first) / 1e9,
			valid: r.Valid(),
			audio: r.AudioSeconds,
			m:     metrics.ForRecord(r),
		})
	}
	return out
}

// values lists the values of tag over the samples that have it.
func values(ss []sample, tag string) []float64 {
	var out []float64
	for _, s := range ss {
		if v, ok := s.m.Get(tag); ok {
			out = append(out, v)
		}
	}
	return out
}
