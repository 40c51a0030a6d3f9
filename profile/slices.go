package profile

import (
	"io"

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
	return metrics.NewSlices(metrics.SliceNs(r.p.SliceDuration), metrics.AggregateOptions{Goodput: r.goodput, ScratchDir: dir})
}

// reportSlices writes the slice exports and the console's note on them.
func (r *Run) reportSlices(stdout io.Writer, info report.RunInfo, rec *recorder) error {
	if err := report.WriteSliceExports(stdout, rec.slices, info); err != nil {
		return exit(1, err)
	}
	return nil
}
