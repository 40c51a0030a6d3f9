package collector

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Started counts a request as in flight; Observe of its record ends it. Call it from
// the engine's OnStart hook for every request, warmup included.
func (c *Collector) Started(scenario, model, target string) {
	c.inFlight.WithLabelValues(scenario, model, target).Inc()
}

// Paused counts a pause of a scenario's probes while its target is unreachable;
// Resumed adds how long it lasted once it ends.
func (c *Collector) Paused(scenario, model, target string) {
	c.pauses.WithLabelValues(scenario, model, target).Inc()
}

// Resumed ends a pause counted by Paused.
func (c *Collector) Resumed(scenario, model, target string, d time.Duration) {
	c.pauseSeconds.WithLabelValues(scenario, model, target).Add(d.Seconds())
}

// Observe records one finished request. Every per-request figure comes from
// metrics.ForRecord; warmup records (and records that ended after a run's duration
// plus grace) only leave the in-flight gauge.
func (c *Collector) Observe(r *record.Record) {
	l := []string{r.Scenario, r.Model, r.Target}
	c.inFlight.WithLabelValues(l...).Dec()
	if !r.Counted() {
		return
	}
	m := metrics.ForRecord(r)
	if r.Valid() {
		c.requests.WithLabelValues(r.Scenario, r.Model, r.Target, "success").Inc()
		c.observeSuccess(r, l, m)
	} else {
		c.requests.WithLabelValues(r.Scenario, r.Model, r.Target, "error").Inc()
		c.errors.WithLabelValues(r.Scenario, r.Model, r.Target, string(metrics.ReasonOf(r))).Inc()
		if v, ok := m.Get(metrics.ErrorISL); ok && v > 0 {
			c.inTokTotal.WithLabelValues(l...).Add(v)
		}
	}
	if r.AudioSeconds > 0 {
		c.audio.WithLabelValues(l...).Observe(r.AudioSeconds)
		c.audioTotal.WithLabelValues(l...).Add(r.AudioSeconds)
	}
	if r.SkippedEvents > 0 {
		c.skipped.WithLabelValues(l...).Add(float64(r.SkippedEvents))
	}
	if r.StampSource != record.StampNone {
		c.stampSources.WithLabelValues(r.Scenario, r.Model, r.Target, string(r.StampSource)).Inc()
	}
	if r.HTTPPhases != nil {
		c.observePhases(r, l)
	}
}

func (c *Collector) observeSuccess(r *record.Record, l []string, m metrics.Request) {
	var ex prometheus.Labels
	if r.RequestID != "" {
		ex = prometheus.Labels{"request_id": r.RequestID}
	}
	seconds := func(h histogramFamily, tag string) {
		if v, ok := m.Get(tag); ok {
			observe(h.WithLabelValues(l...), v/1000, ex)
		}
	}
	seconds(c.ttft, metrics.TTFT)
	seconds(c.ttst, metrics.TTST)
	seconds(c.ttfo, metrics.TTFO)
	seconds(c.itl, metrics.ITL)
	seconds(c.latency, metrics.RequestLatency)
	if v, ok := m.Get(metrics.ScheduleLag); ok {
		c.lag.WithLabelValues(l...).Observe(max(v, 0) / 1000)
	}
	if v, ok := m.Get(metrics.ISL); ok && v >= 0 {
		c.inTokens.WithLabelValues(l...).Observe(v)
		c.inTokTotal.WithLabelValues(l...).Add(v)
	}
	if v, ok := m.Get(metrics.OSL); ok {
		c.outTokens.WithLabelValues(l...).Observe(v)
	}
	if v, ok := m.Get(metrics.OutputTokenCount); ok {
		c.outTokTotal.WithLabelValues(l...).Add(v)
	}
	if v, ok := m.Get(metrics.ReasoningTokenCount); ok {
		c.reasoningTotal.WithLabelValues(l...).Add(v)
	}
	if v, ok := m.Get(metrics.WordErrorRate); ok {
		observe(c.wer.WithLabelValues(l...), v, ex)
	}
	if v, ok := m.Get(metrics.AudioTokens); ok {
		c.audioTokTotal.WithLabelValues(l...).Add(v)
	}
	c.setLastSuccess(l, r)
}

// observe adds v, with the request id as exemplar when there is one.
func observe(o prometheus.Observer, v float64, ex prometheus.Labels) {
	if eo, ok := o.(prometheus.ExemplarObserver); ok && ex != nil {
		eo.ObserveWithExemplar(v, ex)
		return
	}
	o.Observe(v)
}

func (c *Collector) setLastSuccess(l []string, r *record.Record) {
	end := r.EndOffset
	if end == 0 && len(r.Responses) > 0 {
		end = r.Responses[len(r.Responses)-1].Offset
	}
	t := float64(r.StartNs+int64(end)) / 1e9
	key := [3]string{l[0], l[1], l[2]}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t > c.last[key] {
		c.last[key] = t
		c.lastSuccess.WithLabelValues(l...).Set(t)
	}
}

func (c *Collector) observePhases(r *record.Record, l []string) {
	if !r.HTTPPhases.ConnReused {
		c.newConns.WithLabelValues(l...).Inc()
	}
	for i, d := range metrics.PhaseDurations(r.HTTPPhases) {
		if d > 0 {
			c.phase.WithLabelValues(l[0], l[1], l[2], metrics.HTTPPhaseNames[i]).Observe(d.Seconds())
		}
	}
}
