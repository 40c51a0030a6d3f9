package probe

import (
	"context"
	"time"
)

// waitStart holds the profiling phase until at (zero: no wait). A time that
// has passed starts at once, with a warning: that shard started late and
// the merged report's duration includes the delay. It returns false when ctx
// ended first.
func waitStart(ctx context.Context, at time.Time, logf func(string, ...any)) bool {
	if at.IsZero() {
		return true
	}
	wait := time.Until(at)
	if wait <= 0 {
		if logf != nil {
			logf("--start-at %s passed %s ago: the profiling phase starts now, not with the other shards",
				at.UTC().Format(time.RFC3339Nano), (-wait).Round(time.Millisecond))
		}
		return true
	}
	return sleepCtx(ctx, wait)
}
