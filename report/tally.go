package report

import "github.com/aiperf-exporter/aiperf-exporter/record"

// Tally is what the JSON export needs of the records besides their metrics
// (http_phases, skipped_stream_events), gathered one record at a time so that
// `profile` need not keep its records.
type Tally struct {
	phases phaseValues
	// Skipped is the total of malformed stream events skipped.
	Skipped int
}

// Add counts r; warmup records and records dropped for ending late are left
// out, as every report leaves them out.
func (t *Tally) Add(r *record.Record) {
	if !r.Counted() {
		return
	}
	t.Skipped += r.SkippedEvents
	t.phases.add(r)
}

func (t *Tally) httpPhases() *object {
	if t == nil {
		return nil
	}
	return t.phases.object()
}

func (t *Tally) skipped() int {
	if t == nil {
		return 0
	}
	return t.Skipped
}
