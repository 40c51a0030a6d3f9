package main

import (
	"io"
	"math"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// timeslices is what `report DIR` rebuilds of a --slice-duration run: the
// slice exports, from the records and the slice duration in input_config.
// A nil *timeslices (no run had slices) does nothing.
type timeslices struct {
	seconds float64
	slices  *metrics.Slices
}

// from starts the slices at the first source with a slice duration (shards
// of one run share it); scratch files go to dir.
func (t *timeslices) from(src report.Source, slos map[string]float64, dir string) *timeslices {
	if t != nil {
		return t
	}
	s := src.SliceSeconds()
	if s <= 0 {
		return nil
	}
	ns := max(int64(math.Round(s*1e9)), 1)
	return &timeslices{seconds: s, slices: metrics.NewSlices(ns, metrics.AggregateOptions{Goodput: slos, ScratchDir: dir})}
}

func (t *timeslices) add(r *record.Record) {
	if t != nil {
		t.slices.Add(r)
	}
}

// write writes the slice exports into info's directory and notes them on stdout.
func (t *timeslices) write(stdout io.Writer, info report.RunInfo) error {
	if t == nil {
		return nil
	}
	results, err := t.slices.Results()
	if err != nil {
		return err
	}
	csvPath, jsonPath, err := report.WriteTimeslices(info.ArtifactDir, results, info)
	if err != nil {
		return err
	}
	report.PrintTimeslices(stdout, len(results), t.seconds, csvPath, jsonPath)
	return nil
}

func (t *timeslices) close() {
	if t != nil {
		t.slices.Close()
	}
}
