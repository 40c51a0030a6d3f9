package metrics

import (
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// HTTPPhaseNames names the HTTP phases of a request, in the order PhaseDurations
// returns them: the `phase` label values of aiperf_http_phase_duration_seconds
// and the keys of the JSON export's http_phases.
var HTTPPhaseNames = []string{"dns", "connect", "tls", "request_written", "first_byte"}

// PhaseDurations turns the record's phase end offsets into durations, in the order
// of HTTPPhaseNames: each phase lasts from the end of the previous phase that happened
// to its own end. A phase that did not happen (DNS and connect on a reused
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

// FirstTokenWait is TTFT minus the first response byte (the headers), in ms:
// the model's own wait once the network and the upload are taken out of TTFT.
// It exists for a valid streamed record with phase timings.
func FirstTokenWait(r *record.Record) (float64, bool) {
	if r.HTTPPhases == nil || r.HTTPPhases.FirstByte <= 0 || !r.Valid() {
		return 0, false
	}
	ttft, ok := ForRecord(r).Get(TTFT)
	if !ok {
		return 0, false
	}
	return max(ttft-ms(r.HTTPPhases.FirstByte), 0), true
}
