package collector

import (
	"fmt"
	"sync"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
)

// maxVecLabels bounds the variable labels of a histVec, so a series is found by
// a fixed-size key without building a string.
const maxVecLabels = 4

type labelKey [maxVecLabels]string

// histVec is a histogram family partitioned by labels, in place of
// prometheus.HistogramVec: a prometheus.Collector of hist series.
type histVec struct {
	cfg    *histConfig
	labels int

	mu     sync.RWMutex
	series map[labelKey]*hist
}

// newHistVec returns the family of opts with the given variable labels. It
// panics on options prometheus.NewHistogramVec would refuse or this package
// does not support: the families are defined in code.
func newHistVec(opts prometheus.HistogramOpts, labels []string) *histVec {
	if len(labels) > maxVecLabels {
		panic(fmt.Sprintf("histogram %s: %d labels, at most %d supported", opts.Name, len(labels), maxVecLabels))
	}
	for _, l := range labels {
		if l == "le" {
			panic(fmt.Sprintf("histogram %s: label name \"le\" is reserved", opts.Name))
		}
	}
	desc := prometheus.NewDesc(prometheus.BuildFQName(opts.Namespace, opts.Subsystem, opts.Name), opts.Help, labels, opts.ConstLabels)
	cfg, err := newHistConfig(desc, opts)
	if err != nil {
		panic(err)
	}
	return &histVec{cfg: cfg, labels: len(labels), series: map[labelKey]*hist{}}
}

// Describe implements prometheus.Collector.
func (v *histVec) Describe(ch chan<- *prometheus.Desc) { ch <- v.cfg.desc }

// Collect implements prometheus.Collector.
func (v *histVec) Collect(ch chan<- prometheus.Metric) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	for _, h := range v.series {
		ch <- h
	}
}

// WithLabelValues returns the series of the label values, in the order of the
// labels, creating it at zero on first use. Like prometheus.HistogramVec's, it
// panics on a wrong number of values or a value that is not UTF-8.
func (v *histVec) WithLabelValues(lvs ...string) prometheus.Observer {
	if len(lvs) != v.labels {
		panic(fmt.Sprintf("%s: expected %d label values but got %d in %q", v.cfg.desc, v.labels, len(lvs), lvs))
	}
	var key labelKey
	copy(key[:], lvs)
	v.mu.RLock()
	h, ok := v.series[key]
	v.mu.RUnlock()
	if ok {
		return h
	}
	for _, lv := range lvs {
		if !utf8.ValidString(lv) {
			panic(fmt.Sprintf("%s: label value %q is not valid UTF-8", v.cfg.desc, lv))
		}
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if h, ok := v.series[key]; ok {
		return h
	}
	h = newHist(v.cfg, prometheus.MakeLabelPairs(v.cfg.desc, lvs))
	v.series[key] = h
	return h
}
