package profile

import (
	"fmt"
	"io"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
)

// LagWarnMs is the documented bound on the schedule lag p99 (ms): above it the
// generator itself fell behind its schedule (a saturated client, or a
// concurrency cap the server is too slow for), so latencies measured from the
// actual send understate what a user arriving on schedule would see.
const LagWarnMs = 10.0

// warnScheduleLag prints one warning line when the run's schedule lag p99 is
// above LagWarnMs; it prints nothing otherwise. When waiting for a free
// --concurrency slot makes most of the lag, the warning says the server's pace
// caused it; otherwise the client fell behind.
func warnScheduleLag(w io.Writer, res *metrics.Result) {
	m, ok := res.Get(metrics.ScheduleLag)
	if !ok || m.Stats.Count == 0 || m.Stats.P99 <= LagWarnMs {
		return
	}
	if sw, ok := res.Get(metrics.SlotWait); ok && sw.Stats.P99 >= m.Stats.P99/2 {
		fmt.Fprintf(w, "Warning: requests waited for a free --concurrency slot: schedule lag p99 %.2f ms (max %.2f ms), of which slot wait p99 %.2f ms. "+
			"The server answers slower than --request-rate allows at this --concurrency, so it saw less load than asked (the server's pace, not the client); "+
			"see \"schedule_lag\" and \"slot_wait\" in the JSON export.\n", m.Stats.P99, m.Stats.Max, sw.Stats.P99)
		return
	}
	fmt.Fprintf(w, "Warning: the load generator fell behind its schedule: schedule lag p99 %.2f ms (max %.2f ms) is above %.0f ms. "+
		"Requests left later than planned (the client was saturated), so the server saw less load than asked; "+
		"see \"schedule_lag\" in the JSON export.\n", m.Stats.P99, m.Stats.Max, LagWarnMs)
}
