package collector

import (
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// PhaseDurations turns the record's phase end offsets into durations, in the order
// of Phases: each phase lasts from the end of the previous phase that happened to
// its own end. A phase that did not happen (DNS and connect on a reused
// connection, TLS over plain HTTP) is zero.
func PhaseDurations(p *record.HTTPPhases) [5]time.Duration {
	var out [5]time.Duration
	prev := time.Duration(0)
	for i, end := range []time.Duration{p.DNS, p.Connect, p.TLS, p.RequestWritten, p.FirstByte} {
		if end <= 0 {
			continue
		}
		if d := end - prev; d > 0 {
			out[i] = d
		}
		prev = max(prev, end)
	}
	return out
}
