package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// With --slice-duration, server_metrics_export.json cuts every series into
// the run's slices. The mock's request counter per slice matches the client
// records of that slice within what the edge scrapes allow: the mock counts a
// request after it has been sent and before the client reads its end (the
// count is taken before the stream's closing chunk), and a scrape reads the
// counter somewhere between sending and parsing. So a record sent after the
// opening scrape was parsed and ended before the closing one was sent is
// surely counted in the slice; one that ended before the opening scrape was
// sent, or was sent after the closing one was parsed, surely is not.
func TestProfileServerMetricsPerSlice(t *testing.T) {
	_, dir := profileOK(t, "--mock", "--streaming", "--concurrency", "2", "--isl", "8",
		"--benchmark-duration", "3", "--slice-duration", "1", "--server-metrics-interval", "0.4")
	doc := readJSON(t, filepath.Join(dir, report.ServerMetricsJSONFile))
	series := testkit.JSONAt[[]any](t, doc, "metrics", "vllm:request_success_total", "series")
	type slice struct {
		start, end int64
		complete   bool
		edges      [2][2]int64
		server     float64
	}
	var slices []slice
	for _, raw := range series { // one series per finish reason; the slices line up
		if _, ok := testkit.JSONAt[map[string]any](t, raw, "stats")["rate_avg"]; !ok {
			t.Errorf("series %v: no rate_avg over the slices", testkit.JSONAt[any](t, raw, "labels"))
		}
		for i, ts := range testkit.JSONAt[[]any](t, raw, "timeslices") {
			ns := func(path ...any) int64 { return int64(testkit.JSONAt[float64](t, ts, path...)) }
			if i == len(slices) {
				var sl slice
				sl.start, sl.end = ns("start_ns"), ns("end_ns")
				_, partial := testkit.JSONAt[map[string]any](t, ts)["is_complete"]
				sl.complete = !partial
				for j := range testkit.JSONAt[[]any](t, ts, "edge_scrapes_ns") {
					sl.edges[j] = [2]int64{ns("edge_scrapes_ns", j, 0), ns("edge_scrapes_ns", j, 1)}
				}
				slices = append(slices, sl)
			}
			slices[i].server += testkit.JSONAt[float64](t, ts, "total")
		}
	}
	csvText, err := os.ReadFile(filepath.Join(dir, report.ServerMetricsCSVFile))
	if err != nil || !strings.Contains(string(csvText), "Endpoint,Type,Metric,Unit,total,rate,rate_avg,rate_min,rate_max,rate_std,") {
		t.Errorf("the CSV's counter section has no rate_avg..rate_std columns (%v)", err)
	}
	if len(slices) < 3 {
		t.Fatalf("%d slices of a 3 s run in 1 s slices", len(slices))
	}
	var recs []*record.Record
	if _, err := report.EachRecord(filepath.Join(dir, report.JSONLFile), func(r *record.Record) {
		if r.Valid() {
			recs = append(recs, r)
		}
	}); err != nil {
		t.Fatal(err)
	}
	whole := 0.0
	for i, sl := range slices {
		if i > 0 && sl.start != slices[i-1].end {
			t.Errorf("slice %d starts at %d, the one before ends at %d", i, sl.start, slices[i-1].end)
		}
		if inner := i > 0 && i < len(slices)-1; inner != sl.complete {
			t.Errorf("slice %d: complete %v, want only the inner slices complete", i, sl.complete)
		}
		from, to := sl.edges[0], sl.edges[1]
		sure, possible := 0, 0
		for _, r := range recs {
			start, end := r.StartNs, r.StartNs+int64(r.EndOffset)
			if start >= from[1] && end <= to[0] {
				sure++
			}
			if end > from[0] && start < to[1] {
				possible++
			}
		}
		if sl.server < float64(sure) || sl.server > float64(possible) {
			t.Errorf("slice %d: the server counted %g requests; the records say between %d and %d", i, sl.server, sure, possible)
		}
		if sl.complete && sure == 0 {
			t.Errorf("slice %d: no record surely in it; the check proves nothing", i)
		}
		whole += sl.server
	}
	// The slices run from the last scrape sent before the first request to
	// the final one: together they hold every request but one that ended
	// before that scrape read the counter.
	sure := 0
	for _, r := range recs {
		if r.StartNs >= slices[0].edges[0][1] {
			sure++
		}
	}
	if whole < float64(sure) || whole > float64(len(recs)) {
		t.Errorf("the slices' counts add up to %g; the run has %d valid records, %d sent after the first edge scrape", whole, len(recs), sure)
	}
}

// With a warmup, the server's window starts with a scrape at the warmup's
// end: every warmup request has finished (and been counted by the mock)
// before it, so the server's request count is at most the run's own
// requests, never those plus the warmup's.
func TestProfileServerMetricsLeaveOutTheWarmup(t *testing.T) {
	out, dir := profileOK(t, "--mock", "--streaming", "--concurrency", "2", "--isl", "8",
		"--warmup-request-count", "6", "--request-count", "8")
	doc := readJSON(t, filepath.Join(dir, report.ServerMetricsJSONFile))
	server := 0.0
	for _, raw := range testkit.JSONAt[[]any](t, doc, "metrics", "vllm:request_success_total", "series") {
		server += testkit.JSONAt[float64](t, raw, "stats", "total")
	}
	valid := 0
	if _, err := report.EachRecord(filepath.Join(dir, report.JSONLFile), func(r *record.Record) {
		if r.Valid() {
			valid++
		}
	}); err != nil {
		t.Fatal(err)
	}
	if valid != 8 || server < 1 || server > float64(valid) {
		t.Errorf("the server counted %g requests in its window, the run has %d valid records (and 6 warmup ones)", server, valid)
	}
	if !strings.Contains(out, "warmup requests are left out") {
		t.Errorf("the console does not say the warmup is left out:\n%s", out)
	}
}
