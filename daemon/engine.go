package daemon

import (
	"context"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// ProbeRun runs the shared engine (package probe) as a RunFunc, forever unless cfg
// bounds it.
//
// Until probe.Config can keep in-flight requests on a context of their own,
// ending schedule also cancels the requests in flight, so the shutdown grace
// period is not honoured yet: those requests become cancelled records at once.
func ProbeRun(cfg probe.Config, ds *inputs.Dataset) RunFunc {
	return func(schedule, _ context.Context, sink, onStart func(*record.Record)) error {
		c := cfg
		c.OnStart = onStart
		return probe.Run(schedule, c, ds, sink)
	}
}
