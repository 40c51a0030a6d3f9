package main

import (
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// sourceSlices starts what `report DIR` rebuilds of a --slice-duration run:
// the slices of the first source with a slice duration (shards of one run
// share it), nil when it has none. Scratch files go to dir.
func sourceSlices(src report.Source, slos map[string]float64, dir string) (*metrics.Slices, error) {
	s, err := src.SliceSeconds()
	if err != nil || s == 0 {
		return nil, err
	}
	return metrics.NewSlices(metrics.SliceNs(s), metrics.AggregateOptions{Goodput: slos, ScratchDir: dir}), nil
}
