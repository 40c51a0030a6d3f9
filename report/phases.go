package report

import (
	"strconv"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// PhaseFirstToken is the phase from the first response byte (the headers) to
// the first token: the model's own wait, once the network and the upload are
// taken out of TTFT.
const PhaseFirstToken = "first_token"

// httpPhases is the JSON export's "http_phases" (our extension): for each HTTP
// phase of metrics.HTTPPhaseNames (durations as the daemon's
// aiperf_http_phase_duration_seconds has them) and for first_token, the ms
// statistics over the requests in which the phase happened, with their count;
// then how many requests opened a new connection and how many reused one.
// Warmup records and records dropped for ending late are left out. It is nil
// when no record has phase timings.
//
//	"http_phases": {"dns": {"unit": "ms", "count": 3, "avg": ..., "p1": ..., "std": ...}, ...,
//	                "connections": {"new": 3, "reused": 97}}
func httpPhases(records []*record.Record) *object {
	var t Tally
	for _, r := range records {
		t.Add(r)
	}
	return t.httpPhases()
}

// phaseValues gathers http_phases record by record: per phase the ms
// durations of the requests in which it happened, and the connection counts.
type phaseValues struct {
	values           []metrics.Chunks[float64] // by metrics.HTTPPhaseNames, then first_token
	newConns, reused int
}

func (p *phaseValues) add(r *record.Record) {
	if r.HTTPPhases == nil {
		return
	}
	if p.values == nil {
		p.values = make([]metrics.Chunks[float64], len(metrics.HTTPPhaseNames)+1)
	}
	if r.HTTPPhases.ConnReused {
		p.reused++
	} else {
		p.newConns++
	}
	for i, d := range metrics.PhaseDurations(r.HTTPPhases) {
		if d > 0 {
			p.values[i].Add(float64(d) / 1e6)
		}
	}
	if wait, ok := metrics.FirstTokenWait(r); ok {
		p.values[len(metrics.HTTPPhaseNames)].Add(wait)
	}
}

func (p *phaseValues) object() *object {
	if p.newConns+p.reused == 0 {
		return nil
	}
	o := &object{}
	for i, name := range append(append([]string{}, metrics.HTTPPhaseNames...), PhaseFirstToken) {
		if p.values[i].Len() == 0 {
			continue
		}
		s := metrics.Summarize(p.values[i].Slice())
		st := &object{}
		st.set("unit", "ms")
		st.set("count", s.Count)
		st.set("avg", pyFloat(s.Avg))
		for _, q := range metrics.Percentiles {
			st.set("p"+strconv.Itoa(q), pyFloat(s.Percentile(q)))
		}
		st.set("min", pyFloat(s.Min))
		st.set("max", pyFloat(s.Max))
		st.set("std", pyFloat(s.Std))
		o.set(name, st)
	}
	conns := &object{}
	conns.set("new", p.newConns)
	conns.set("reused", p.reused)
	o.set("connections", conns)
	return o
}
