package daemon

import (
	"context"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/probe"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// ProbeRun runs the shared engine (package probe) as a RunFunc, forever unless cfg
// bounds it. Ending ctx stops new requests; requests in flight run on reqCtx,
// so they drain during the shutdown grace period.
func ProbeRun(cfg probe.Config, ds *inputs.Dataset) RunFunc {
	return func(ctx, reqCtx context.Context, sink, onStart func(*record.Record)) error {
		c := cfg
		c.OnStart = onStart
		c.RequestContext = reqCtx
		return probe.Run(ctx, c, ds, sink)
	}
}
