package profile

import (
	"io"
	"math"

	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// newSlices is the per-slice aggregation of --slice-duration (nil when off):
// the records are counted per slice as they finish, so the slice exports need
// no JSONL (--export-level summary has them too). Its scratch files go to dir.
func (r *Run) newSlices(dir string) *metrics.Slices {
	if r.p.SliceDuration <= 0 {
		return nil
	}
	return metrics.NewSlices(sliceNs(r.p.SliceDuration), metrics.AggregateOptions{Goodput: r.goodput, ScratchDir: dir})
}

// sliceNs is a slice duration in nanoseconds (at least 1).
func sliceNs(seconds float64) int64 {
	return max(int64(math.Round(seconds*1e9)), 1)
}

// reportSlices writes the slice exports and the console's note on them.
func (r *Run) reportSlices(stdout io.Writer, info report.RunInfo, rec *recorder) error {
	if rec.slices == nil {
		return nil
	}
	results, err := rec.slices.Results()
	if err != nil {
		return exit(1, err)
	}
	csvPath, jsonPath, err := report.WriteTimeslices(info.ArtifactDir, results, info)
	if err != nil {
		return exit(1, err)
	}
	report.PrintTimeslices(stdout, len(results), r.p.SliceDuration, csvPath, jsonPath)
	return nil
}

// closeSlices releases the slices' scratch files.
func (rec *recorder) closeSlices() {
	if rec.slices != nil {
		rec.slices.Close()
	}
}
