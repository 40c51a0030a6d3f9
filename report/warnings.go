package report

import (
	"fmt"
	"io"
)

// WarnSkippedEvents prints one warning line when malformed stream events were
// skipped (the requests stayed valid, as in AIPerf); nothing otherwise.
func WarnSkippedEvents(w io.Writer, skipped int) {
	if skipped <= 0 {
		return
	}
	fmt.Fprintf(w, "Warning: %d malformed stream event(s) could not be parsed and were skipped; "+
		"see \"skipped_stream_events\" in the JSON export and \"skipped_events\" per request in the JSONL.\n", skipped)
}

// WarnDropped prints how many requests were dropped for ending after
// --benchmark-duration + --benchmark-grace-period; nothing when none were.
func WarnDropped(w io.Writer, dropped int) {
	if dropped <= 0 {
		return
	}
	fmt.Fprintf(w, "%d request(s) still running at --benchmark-duration + --benchmark-grace-period were dropped, as AIPerf does.\n", dropped)
}

// WarnPartial prints one line when the report covers a run that did not
// finish (killed before its end: "partial" in the JSON export) and when a
// last record cut short by the kill was skipped; nothing otherwise.
func WarnPartial(w io.Writer, partial bool, records, truncated int) {
	if partial {
		fmt.Fprintf(w, "Warning: partial report: the run did not finish (it was killed); this report covers the %d record(s) it wrote "+
			"(\"partial\": true in the JSON export).\n", records)
	}
	if truncated > 0 {
		fmt.Fprintf(w, "Warning: %d record line(s) cut short at the end of %s were skipped.\n", truncated, JSONLFile)
	}
}
