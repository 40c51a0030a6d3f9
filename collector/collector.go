package collector

import (
	"fmt"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/collectors/version"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Label names on every probe metric.
const (
	LabelScenario = "scenario"
	LabelModel    = "model_name"
	LabelTarget   = "target"
)

// Program is the namespace of the build_info metric: aiperf_exporter_build_info.
const Program = "aiperf_exporter"

// Outcomes are the values of the `outcome` label of aiperf_requests_total.
var Outcomes = []string{"success", "error"}

// Scenario is one configured scenario: the label values it will produce (pre-created
// at zero) and its load settings.
type Scenario struct {
	Name        string
	Models      []string
	Targets     []string // configured target names, never raw URLs
	Concurrency int
	RequestRate float64
}

// Collector holds every probe metric. Its methods are safe for concurrent use.
type Collector struct {
	ttft, ttst, ttfo, itl, latency, lag histogramFamily
	inTokens, outTokens, audio, phase   histogramFamily
	wer                                 histogramFamily

	requests, errors                        *prometheus.CounterVec
	inTokTotal, outTokTotal, reasoningTotal *prometheus.CounterVec
	audioTotal, newConns, skipped           *prometheus.CounterVec
	pauses, pauseSeconds                    *prometheus.CounterVec
	audioTokTotal                           *prometheus.CounterVec
	stampSources                            *prometheus.CounterVec

	inFlight, concurrency, rate, lastSuccess *prometheus.GaugeVec

	mu   sync.Mutex
	last map[[3]string]float64 // newest success end per label set, so late records never move it back
}

// New registers the probe metrics, build_info and the Go and process collectors on
// reg, and pre-creates every known label combination of scenarios at zero.
func New(reg prometheus.Registerer, scenarios []Scenario) (*Collector, error) {
	return newCollector(reg, scenarios, ourFamily)
}

// newCollector is New with the histogram families family makes.
func newCollector(reg prometheus.Registerer, scenarios []Scenario, family newFamily) (*Collector, error) {
	c := newVecs(family)
	cs := append(c.probeCollectors(),
		version.NewCollector(Program),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	for _, x := range cs {
		if err := reg.Register(x); err != nil {
			return nil, fmt.Errorf("register collector metrics: %w", err)
		}
	}
	for _, s := range scenarios {
		c.precreate(s)
	}
	return c, nil
}

// probeCollectors lists the probe metrics: every family of the contract but build_info.
func (c *Collector) probeCollectors() []prometheus.Collector {
	return []prometheus.Collector{
		c.ttft, c.ttst, c.ttfo, c.itl, c.latency, c.lag, c.inTokens, c.outTokens, c.audio, c.phase,
		c.requests, c.errors, c.inTokTotal, c.outTokTotal, c.reasoningTotal, c.audioTotal, c.newConns, c.skipped,
		c.pauses, c.pauseSeconds, c.wer, c.audioTokTotal, c.stampSources,
		c.inFlight, c.concurrency, c.rate, c.lastSuccess,
	}
}

// precreate makes every series of s exist at zero, so rate() and absent() work from
// the first scrape, and sets the configured load gauges.
func (c *Collector) precreate(s Scenario) {
	for _, m := range s.Models {
		for _, t := range s.Targets {
			l := []string{s.Name, m, t}
			for _, h := range []histogramFamily{c.ttft, c.ttst, c.ttfo, c.itl, c.latency, c.lag,
				c.inTokens, c.outTokens, c.audio, c.wer} {
				h.WithLabelValues(l...)
			}
			for _, p := range metrics.HTTPPhaseNames {
				c.phase.WithLabelValues(s.Name, m, t, p)
			}
			for _, o := range Outcomes {
				c.requests.WithLabelValues(s.Name, m, t, o)
			}
			for _, r := range reasons() {
				c.errors.WithLabelValues(s.Name, m, t, r)
			}
			for _, src := range record.StampSources {
				c.stampSources.WithLabelValues(s.Name, m, t, string(src))
			}
			for _, v := range []*prometheus.CounterVec{c.inTokTotal, c.outTokTotal, c.reasoningTotal,
				c.audioTotal, c.newConns, c.skipped, c.pauses, c.pauseSeconds, c.audioTokTotal} {
				v.WithLabelValues(l...)
			}
			c.inFlight.WithLabelValues(l...)
			c.lastSuccess.WithLabelValues(l...)
			c.concurrency.WithLabelValues(l...).Set(float64(s.Concurrency))
			c.rate.WithLabelValues(l...).Set(s.RequestRate)
		}
	}
}
