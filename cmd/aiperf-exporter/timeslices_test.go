package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// sliceExport is what the test reads of profile_export_aiperf_timeslices.json.
type sliceExport struct {
	Timeslices []struct {
		Index        int `json:"timeslice_index"`
		RequestCount *struct {
			Avg float64 `json:"avg"`
		} `json:"request_count"`
		MinRequest *struct {
			Avg float64 `json:"avg"`
		} `json:"min_request_timestamp"`
	} `json:"timeslices"`
	InputConfig struct {
		Output struct {
			SliceDuration float64 `json:"slice_duration"`
		} `json:"output"`
	} `json:"input_config"`
}

func readSlices(t *testing.T, dir string) sliceExport {
	t.Helper()
	return testkit.ReadJSON[sliceExport](t, filepath.Join(dir, report.TimeslicesJSONFile))
}

// A 3 s run in 1 s slices writes both slice exports; each slice counts the
// records that started in it (whole seconds of the wall clock, as AIPerf),
// the slices sum to the run, and `report DIR` rebuilds the same slices from
// the records (what a killed run leaves).
func TestProfileTimeslices(t *testing.T) {
	out, dir := profileOK(t, "--mock", "--streaming", "--concurrency", "2", "--isl", "8",
		"--benchmark-duration", "3", "--slice-duration", "1")
	for _, want := range []string{"Timeslices CSV: ", report.TimeslicesCSVFile, "Timeslices JSON: ", report.TimeslicesJSONFile} {
		if !strings.Contains(out, want) {
			t.Errorf("console does not say %q:\n%s", want, out)
		}
	}

	// The records' own slices: request counts per whole second of their start.
	perSecond := map[int64]int{}
	if _, err := report.EachRecord(filepath.Join(dir, report.JSONLFile), func(r *record.Record) {
		if r.Valid() {
			perSecond[r.StartNs/1e9]++
		}
	}); err != nil {
		t.Fatal(err)
	}

	s := readSlices(t, dir)
	if s.InputConfig.Output.SliceDuration != 1 {
		t.Errorf("input_config.output.slice_duration %v", s.InputConfig.Output.SliceDuration)
	}
	// 3 s not aligned to the wall clock's seconds span 3 or 4 of them (a 5th
	// when a request started in the last instant).
	if n := len(s.Timeslices); n < 3 || n > 5 || n != len(perSecond) {
		t.Fatalf("%d slices, the records started in %d seconds", n, len(perSecond))
	}
	sum := 0
	for i, sl := range s.Timeslices {
		if sl.Index != i || sl.RequestCount == nil || sl.MinRequest == nil {
			t.Fatalf("slice %d: index %d, request_count %v, min_request_timestamp %v", i, sl.Index, sl.RequestCount, sl.MinRequest)
		}
		sec := int64(sl.MinRequest.Avg) / 1e9
		if got, want := int(sl.RequestCount.Avg), perSecond[sec]; got != want {
			t.Errorf("slice %d (second %d): %d requests, the records have %d", i, sec, got, want)
		}
		sum += int(sl.RequestCount.Avg)
	}
	export := readJSON(t, filepath.Join(dir, report.JSONFile))
	if run := int(stat(t, export, "request_count", "avg")); sum != run || run == 0 {
		t.Errorf("slices sum to %d requests, the run has %d", sum, run)
	}

	csvBefore := readFile(t, filepath.Join(dir, report.TimeslicesCSVFile))
	rows, err := csv.NewReader(strings.NewReader(csvBefore)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != "Timeslice,Metric,Unit,Stat,Value" {
		t.Errorf("CSV header %v", rows[0])
	}
	last := 0
	for _, r := range rows[1:] {
		i, err := strconv.Atoi(r[0])
		if err != nil || i < last || i >= len(s.Timeslices) {
			t.Fatalf("CSV row %v after slice %d", r, last)
		}
		last = i
	}
	if last != len(s.Timeslices)-1 {
		t.Errorf("CSV ends at slice %d of %d", last, len(s.Timeslices))
	}

	// `report DIR` (after a kill, the only way to a report) rebuilds them.
	for _, f := range []string{report.TimeslicesCSVFile, report.TimeslicesJSONFile} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	var rout bytes.Buffer
	if code := run([]string{"report", dir}, &rout, &bytes.Buffer{}); code != 0 {
		t.Fatalf("report exit %d", code)
	}
	if !strings.Contains(rout.String(), "Timeslices CSV: ") {
		t.Errorf("report console does not name the slice exports:\n%s", rout.String())
	}
	if got := readFile(t, filepath.Join(dir, report.TimeslicesCSVFile)); got != csvBefore {
		t.Errorf("report DIR rebuilt other slices:\n%s\nwant\n%s", got, csvBefore)
	}
}

// --export-level summary writes no records, yet the slices are counted as the
// records finish: the slice exports are there.
func TestProfileTimeslicesWithoutRecords(t *testing.T) {
	_, dir := profileOK(t, "--mock", "--request-count", "4", "--concurrency", "4", "--export-level", "summary", "--slice-duration", "0.5")
	if _, err := os.Stat(filepath.Join(dir, report.JSONLFile)); err == nil {
		t.Fatal("summary level wrote the records")
	}
	sum := 0
	for _, sl := range readSlices(t, dir).Timeslices {
		if sl.RequestCount != nil {
			sum += int(sl.RequestCount.Avg)
		}
	}
	if sum != 4 {
		t.Errorf("slices count %d requests, want 4", sum)
	}
}

// A slice duration that is no number of seconds is refused, naming the flag.
func TestProfileBadSliceDuration(t *testing.T) {
	for _, v := range []string{"-1", "NaN", "x"} {
		code, _, errOut, _ := profileInDir(t, "--mock", "--request-count", "1", "--slice-duration", v)
		if code != 2 || !strings.Contains(errOut, "slice-duration") {
			t.Errorf("--slice-duration %s: exit %d, stderr %q", v, code, errOut)
		}
	}
}
