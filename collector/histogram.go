package collector

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/model"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// histConfig is what every series of one histogram family shares: the classic
// bounds and the native histogram settings of prometheus.HistogramOpts. Supported
// are the options histogramOpts sets; a zero-bucket widening
// (NativeHistogramMaxZeroThreshold) and native exemplar settings other than the
// defaults are not.
type histConfig struct {
	desc        *prometheus.Desc
	name, help  string       // the desc's, for the OpenMetrics writer
	les         []string     // bounds as OpenMetrics writes them in `le`
	plainName   bool         // name valid under the legacy rules: written without quoting
	bounds      []float64    // classic upper bounds, increasing, without +Inf
	zeroBuckets []dto.Bucket // per bound, empty and without exemplar: shared by every Write
	schema      int32        // initial native schema
	maxBuckets  uint32       // populated native buckets before the limit strategy acts; 0: no limit
	minReset    time.Duration

	now       func() time.Time                               // time.Now but in tests
	afterFunc func(time.Duration, func()) (stop func() bool) // time.AfterFunc but in tests
}

// newHistConfig checks opts as prometheus.NewHistogram would and derives the
// settings shared by the series of desc.
func newHistConfig(desc *prometheus.Desc, opts prometheus.HistogramOpts) (*histConfig, error) {
	if opts.NativeHistogramMaxZeroThreshold != 0 || opts.NativeHistogramZeroThreshold != 0 ||
		opts.NativeHistogramMaxExemplars != 0 || opts.NativeHistogramExemplarTTL != 0 {
		return nil, fmt.Errorf("histogram %s: only default native zero bucket and exemplar settings are supported", opts.Name)
	}
	schema, err := pickNativeSchema(opts.NativeHistogramBucketFactor)
	if err != nil {
		return nil, fmt.Errorf("histogram %s: %w", opts.Name, err)
	}
	bounds := slices.Clone(opts.Buckets) // written metrics point into it: ours, never changed
	if n := len(bounds); n > 0 && math.IsInf(bounds[n-1], +1) {
		bounds = bounds[:n-1] // +Inf is implicit
	}
	for i := 1; i < len(bounds); i++ {
		if bounds[i-1] >= bounds[i] {
			return nil, fmt.Errorf("histogram %s: buckets must be in increasing order: %g >= %g", opts.Name, bounds[i-1], bounds[i])
		}
	}
	zero := make([]dto.Bucket, len(bounds))
	les := make([]string, len(bounds))
	for i := range zero {
		zero[i].CumulativeCount, zero[i].UpperBound = &zeroCount, &bounds[i]
		les[i] = string(appendOMFloat(nil, bounds[i]))
	}
	name := prometheus.BuildFQName(opts.Namespace, opts.Subsystem, opts.Name)
	return &histConfig{
		desc: desc, name: name, help: opts.Help, les: les, plainName: model.LegacyValidation.IsValidMetricName(name),
		bounds: bounds, zeroBuckets: zero, schema: schema,
		maxBuckets: opts.NativeHistogramMaxBucketNumber, minReset: opts.NativeHistogramMinResetDuration,
		now: time.Now,
		afterFunc: func(d time.Duration, f func()) func() bool {
			return time.AfterFunc(d, f).Stop
		},
	}, nil
}

// classicBucket returns the index of the classic bucket of v: the first bound
// not below v, len(bounds) for +Inf and NaN.
func (c *histConfig) classicBucket(v float64) int { return sort.SearchFloat64s(c.bounds, v) }

// hist is one series of a classic-and-native histogram. It behaves as
// client_golang's histogram with the same options (the equivalence test feeds
// both), with a mutex instead of its lock-free hot/cold counts, and writes its
// dto.Metric from a few slabs instead of three allocations per classic bucket.
type hist struct {
	cfg    *histConfig
	labels []*dto.LabelPair
	// For the OpenMetrics writer: omLabels is `{name="value",...`, open for
	// one more label; bucketPrefix is `name_bucket{name="value",...,le="`;
	// plainLabels tells whether every label name is valid under the legacy
	// rules, so written without quoting.
	omLabels, bucketPrefix []byte
	plainLabels            bool

	mu        sync.Mutex
	count     uint64
	sum       float64
	classic   []uint64        // per classic bucket, not cumulative
	exemplars []*dto.Exemplar // newest per classic bucket, +Inf last
	native    nativeState
	nativeEx  nativeExemplars

	lastReset      time.Time
	created        *timestamppb.Timestamp // lastReset, shared by every Write until the next reset
	resetScheduled bool
}

func newHist(cfg *histConfig, labels []*dto.LabelPair) *hist {
	h := &hist{
		cfg: cfg, labels: labels, omLabels: appendLabels(nil, labels), plainLabels: true,
		classic:   make([]uint64, len(cfg.bounds)),
		exemplars: make([]*dto.Exemplar, len(cfg.bounds)+1),
		nativeEx:  nativeExemplars{max: nativeMaxExemplars, ttl: nativeExemplarTTL},
	}
	h.bucketPrefix = appendBucketPrefix(nil, cfg.name, h.omLabels)
	for _, l := range labels {
		h.plainLabels = h.plainLabels && model.LegacyValidation.IsValidLabelName(l.GetName())
	}
	h.native.reset(cfg.schema, nativeZeroThreshold)
	h.setLastReset(cfg.now())
	return h
}

// Desc implements prometheus.Metric.
func (h *hist) Desc() *prometheus.Desc { return h.cfg.desc }

// Observe implements prometheus.Observer.
func (h *hist) Observe(v float64) { h.observe(v, nil) }

// ObserveWithExemplar implements prometheus.ExemplarObserver. Invalid exemplar
// labels panic, as with client_golang.
func (h *hist) ObserveWithExemplar(v float64, l prometheus.Labels) { h.observe(v, l) }

func (h *hist) observe(v float64, l prometheus.Labels) {
	bucket := h.cfg.classicBucket(v)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.add(v, bucket)
	if !math.IsNaN(v) {
		h.limitBuckets(v, bucket)
	}
	if l == nil {
		return
	}
	e, err := newExemplar(v, h.cfg.now(), l)
	if err != nil {
		panic(err)
	}
	h.exemplars[bucket] = e
	if !math.IsNaN(v) {
		h.nativeEx.add(e)
	}
}

// add counts v in the classic bucket, the sum, the count and, unless v is NaN,
// the native buckets.
func (h *hist) add(v float64, bucket int) {
	if bucket < len(h.classic) {
		h.classic[bucket]++
	}
	h.sum += v
	if !math.IsNaN(v) {
		h.native.observe(v)
	}
	h.count++
}

// limitBuckets applies client_golang's strategy when the native buckets exceed
// the limit: reset everything if the last reset is at least minReset ago, else
// schedule that reset and halve the resolution, once per observation.
func (h *hist) limitBuckets(v float64, bucket int) {
	if h.cfg.maxBuckets == 0 || h.native.buckets() <= int(h.cfg.maxBuckets) {
		return
	}
	if h.cfg.minReset > 0 && !h.resetScheduled && h.cfg.now().Sub(h.lastReset) >= h.cfg.minReset {
		h.clear()
		h.add(v, bucket) // the observation that overflowed stays
		h.setLastReset(h.cfg.now())
		return
	}
	if h.cfg.minReset > 0 && !h.resetScheduled {
		h.resetScheduled = true
		h.cfg.afterFunc(h.cfg.minReset-h.cfg.now().Sub(h.lastReset), h.scheduledReset)
	}
	h.native.halveResolution()
}

// scheduledReset runs minReset after the last reset once the resolution was
// reduced: it starts the histogram afresh. Exemplars stay.
func (h *hist) scheduledReset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.clear()
	h.setLastReset(h.cfg.now())
	h.resetScheduled = false
}

// clear zeroes every count and restores the initial native settings.
func (h *hist) clear() {
	h.count, h.sum = 0, 0
	clear(h.classic)
	h.native.reset(h.cfg.schema, nativeZeroThreshold)
}

func (h *hist) setLastReset(t time.Time) {
	h.lastReset = t
	h.created = timestamppb.New(t)
}
