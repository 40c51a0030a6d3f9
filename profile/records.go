package profile

import (
	"path/filepath"

	"github.com/aiperf-exporter/aiperf-exporter/accuracy"
	"github.com/aiperf-exporter/aiperf-exporter/metrics"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/report"
	"github.com/aiperf-exporter/aiperf-exporter/upload/otel"
)

// recorder is what `profile` keeps of its records: each is appended to the
// JSONL files as it finishes and counted, never held (see metrics.Accumulator).
type recorder struct {
	acc     *metrics.Accumulator
	tally   report.Tally
	dropped int // ended after --benchmark-duration + grace
	files   []*report.RecordFile
	slices  *metrics.Slices       // --slice-duration; nil when off (profile/slices.go)
	otel    *otel.Stream          // --otel-url; nil when off (profile/upload.go)
	outputs *report.OutputsWriter // --export-outputs-json; nil when off
	// accuracy counts the graded answers (--accuracy-benchmark); nil when off.
	accuracy *accuracy.Summary
	// accuracyLines is accuracy_export.jsonl, a line per graded record.
	accuracyLines *accuracy.JSONLWriter
	// accuracyVerbose logs each grade (--accuracy-verbose); nil when off.
	accuracyVerbose func(r *record.Record)
}

// newRecorder creates the record files of an export level in dir, named by
// names; the
// accumulator keeps its scratch file there too (opt.ScratchDir).
func newRecorder(dir, level string, names report.Names, opt metrics.AggregateOptions, httpTrace bool) (*recorder, error) {
	acc, err := metrics.NewAccumulator(opt)
	if err != nil {
		return nil, err
	}
	rec := &recorder{acc: acc}
	files := map[string][]string{ExportRecords: {names.JSONL}, ExportRaw: {names.JSONL, names.RawJSONL}}
	for _, name := range files[level] {
		f, err := report.CreateRecordFile(filepath.Join(dir, name), name == names.RawJSONL)
		if err != nil {
			rec.close()
			acc.Close()
			return nil, err
		}
		if httpTrace && name == names.JSONL { // --export-http-trace
			f.IncludeHTTPTrace()
		}
		rec.files = append(rec.files, f)
	}
	return rec, nil
}

// add writes r to the files and counts it. Its metrics are derived once,
// here, for every consumer.
func (rec *recorder) add(r *record.Record) {
	m := metrics.ForRecord(r)
	if rec.outputs != nil {
		rec.outputs.AddMetrics(r, m)
	}
	r.ResponseText = "" // the text goes to outputs.json only
	for _, f := range rec.files {
		f.AddMetrics(r, m)
	}
	if rec.accuracyLines != nil {
		rec.accuracyLines.Add(r) // the warmup's too, as AIPerf's
	}
	if rec.accuracyVerbose != nil && r.Accuracy != nil {
		rec.accuracyVerbose(r)
	}
	if r.Phase == record.PhaseWarmup {
		return
	}
	if r.LateForDuration {
		rec.dropped++
	}
	rec.acc.AddMetrics(r, m)
	rec.tally.Add(r)
	rec.slices.AddMetrics(r, m) // nil when off
	if rec.otel != nil {
		rec.otel.AddMetrics(r, m)
	}
	if rec.accuracy != nil && r.Accuracy != nil {
		rec.accuracy.Add(r.Accuracy.Task, r.Accuracy.Passed, r.Accuracy.Unparsed)
	}
}

// abort closes everything the recorder holds, its scratch files included,
// when the run stops before it starts.
func (rec *recorder) abort() {
	rec.close()
	rec.acc.Close()
	rec.slices.Close()
}

// close flushes and closes the record files; the first error wins.
func (rec *recorder) close() error {
	var first error
	for _, f := range rec.files {
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	rec.files = nil
	if rec.outputs != nil {
		if err := rec.outputs.Close(); err != nil && first == nil {
			first = err
		}
		rec.outputs = nil
	}
	if err := rec.accuracyLines.Close(); err != nil && first == nil {
		first = err
	}
	rec.accuracyLines = nil
	return first
}
