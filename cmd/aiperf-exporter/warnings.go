package main

import (
	"fmt"
	"io"
)

// warnSkippedEvents prints one warning line when malformed stream events were
// skipped (the requests stayed valid, as in AIPerf); nothing otherwise.
func warnSkippedEvents(w io.Writer, skipped int) {
	if skipped <= 0 {
		return
	}
	fmt.Fprintf(w, "Warning: %d malformed stream event(s) could not be parsed and were skipped; "+
		"see \"skipped_stream_events\" in the JSON export and \"skipped_events\" per request in the JSONL.\n", skipped)
}

// warnDropped prints how many requests were dropped for ending after
// --benchmark-duration + --benchmark-grace-period; nothing when none were.
func warnDropped(w io.Writer, dropped int) {
	if dropped <= 0 {
		return
	}
	fmt.Fprintf(w, "%d request(s) still running at --benchmark-duration + --benchmark-grace-period were dropped, as AIPerf does.\n", dropped)
}
