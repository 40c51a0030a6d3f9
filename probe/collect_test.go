package probe

import (
	"context"
	"sync"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// collect runs cfg over ds and returns every record the sink got, in the
// order they came.
func collect(ctx context.Context, cfg Config, ds *inputs.Dataset) ([]*record.Record, error) {
	var mu sync.Mutex
	var recs []*record.Record
	err := Run(ctx, cfg, ds, func(r *record.Record) {
		mu.Lock()
		recs = append(recs, r)
		mu.Unlock()
	})
	return recs, err
}
