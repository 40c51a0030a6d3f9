package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/record"
	"github.com/aiperf-exporter/aiperf-exporter/report"
)

// Two shard runs merged by `report` give the same CSV as a report over the
// union of their records, and `report DIR` re-renders one run byte for byte.
func TestReportMergesShards(t *testing.T) {
	base := t.TempDir()
	shards := []string{filepath.Join(base, "shard-0"), filepath.Join(base, "shard-1")}
	for i, dir := range shards {
		var out, errb bytes.Buffer
		code := profile(context.Background(), []string{"--mock", "--mock.ttft", "5", "--mock.itl", "1", "--model", "m",
			"--streaming", "--request-count", "6", "--concurrency", "2", "--synthetic-input-tokens-mean", "8",
			"--output-tokens-mean", "5", "--random-seed", string(rune('1' + i)), "--artifact-dir", dir}, &out, &errb)
		if code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, errb.String())
		}
	}

	// Re-rendering one directory reproduces its CSV and JSON exactly, into
	// another directory or in place: input_config (cli_command included),
	// start and end times come from the source JSON.
	orig, _ := os.ReadFile(filepath.Join(shards[0], report.CSVFile))
	origJSON, _ := os.ReadFile(filepath.Join(shards[0], report.JSONFile))
	if !bytes.Contains(origJSON, []byte(`"input_config"`)) || !bytes.Contains(origJSON, []byte(`"cli_command"`)) {
		t.Fatalf("the profile JSON has no input_config to carry over:\n%s", origJSON)
	}
	again := filepath.Join(base, "again")
	if code := run([]string{"report", "--output", again, shards[0]}, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Fatalf("report exit %d", code)
	}
	if got, _ := os.ReadFile(filepath.Join(again, report.CSVFile)); !bytes.Equal(got, orig) {
		t.Errorf("re-rendered CSV differs:\n%s\nwant\n%s", got, orig)
	}
	if got, _ := os.ReadFile(filepath.Join(again, report.JSONFile)); !bytes.Equal(got, origJSON) {
		t.Errorf("re-rendered JSON differs:\n%s\nwant\n%s", got, origJSON)
	}
	if code := run([]string{"report", shards[0]}, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Fatalf("report in place exit %d", code)
	}
	if got, _ := os.ReadFile(filepath.Join(shards[0], report.JSONFile)); !bytes.Equal(got, origJSON) {
		t.Errorf("JSON re-rendered in place differs:\n%s\nwant\n%s", got, origJSON)
	}

	// Merging the shards equals one report over the concatenated records.
	union := filepath.Join(base, "union")
	if err := os.MkdirAll(union, 0o755); err != nil {
		t.Fatal(err)
	}
	var lines []byte
	for _, d := range shards {
		b, err := os.ReadFile(filepath.Join(d, report.JSONLFile))
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, b...)
	}
	if err := os.WriteFile(filepath.Join(union, report.JSONLFile), lines, 0o644); err != nil {
		t.Fatal(err)
	}
	merged := filepath.Join(base, "merged")
	var out bytes.Buffer
	if code := run([]string{"report", "--output", merged, shards[0], shards[1]}, &out, &bytes.Buffer{}); code != 0 {
		t.Fatalf("merge exit %d", code)
	}
	// The label column wraps with the width of the numbers, so look for the title.
	if !strings.Contains(out.String(), "NVIDIA AIPerf | LLM Metrics") {
		t.Errorf("merge printed no report:\n%s", out.String())
	}
	if code := run([]string{"report", union}, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Fatalf("union report exit %d", code)
	}
	m, _ := os.ReadFile(filepath.Join(merged, report.CSVFile))
	u, _ := os.ReadFile(filepath.Join(union, report.CSVFile))
	if len(m) == 0 || !bytes.Equal(m, u) {
		t.Errorf("merged CSV differs from the union's:\n%s\nvs\n%s", m, u)
	}
	if !bytes.Contains(m, []byte("Request Count,12")) {
		t.Errorf("merged report does not count 12 requests:\n%s", m)
	}
	// --output may also follow the directories, as people type it.
	after := filepath.Join(base, "merged-after")
	if code := run([]string{"report", shards[0], shards[1], "--output", after}, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Fatalf("merge with --output last: exit %d", code)
	}
	if a, _ := os.ReadFile(filepath.Join(after, report.CSVFile)); !bytes.Equal(a, m) {
		t.Errorf("merge with --output last differs:\n%s", a)
	}

	// The merged JSON has the union's metrics, spans both shards, and leaves
	// out input_config: the shards' settings differ.
	mj, uj := readJSON(t, filepath.Join(merged, report.JSONFile)), readJSON(t, filepath.Join(union, report.JSONFile))
	for _, tag := range []string{"request_count", "time_to_first_token", "request_latency", "skipped_stream_events", "dropped_late_requests"} {
		if a, b := fmt.Sprint(mj[tag]), fmt.Sprint(uj[tag]); a != b || mj[tag] == nil {
			t.Errorf("merged %s %s, union %s", tag, a, b)
		}
	}
	if _, ok := mj["input_config"]; ok {
		t.Errorf("merged JSON carries a shard's input_config: %v", mj["input_config"])
	}
	s0, s1 := readJSON(t, filepath.Join(shards[0], report.JSONFile)), readJSON(t, filepath.Join(shards[1], report.JSONFile))
	first, last := fmt.Sprint(s0["start_time"]), fmt.Sprint(s1["end_time"])
	if mj["start_time"] != first || mj["end_time"] != last {
		t.Errorf("merged run %v to %v, want %s to %s", mj["start_time"], mj["end_time"], first, last)
	}
}

func TestReportBadInput(t *testing.T) {
	var errb bytes.Buffer
	if code := run([]string{"report"}, &bytes.Buffer{}, &errb); code != 2 {
		t.Errorf("no dir: exit %d", code)
	}
	errb.Reset()
	missing := filepath.Join(t.TempDir(), "nope")
	if code := run([]string{"report", missing}, &bytes.Buffer{}, &errb); code != 1 || !strings.Contains(errb.String(), "nope") {
		t.Errorf("missing dir: exit %d, %q", code, errb.String())
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("report created the missing directory (%v)", err)
	}
}

// report --goodput refuses an SLO the records cannot have, as profile does.
func TestReportRefusesGoodputTheRecordsCannotHave(t *testing.T) {
	dir := t.TempDir()
	writeRecords(t, dir, oneRecord(record.PhaseProfiling))
	var errb bytes.Buffer
	code := run([]string{"report", "--goodput", "inter_token_latency:10", dir}, &bytes.Buffer{}, &errb)
	if code != 2 || !strings.Contains(errb.String(), "inter_token_latency are not applicable") {
		t.Errorf("exit %d, stderr %q; want 2 naming the metric", code, errb.String())
	}
	if code := run([]string{"report", "--goodput", "request_latency:100", dir}, &bytes.Buffer{}, &errb); code != 0 {
		t.Errorf("an applicable SLO: exit %d, %s", code, errb.String())
	}
}

// oneRecord is a finished non-streamed request of the given phase.
func oneRecord(phase record.Phase) *record.Record {
	return &record.Record{RequestID: "r", Phase: phase, StartNs: 1_760_000_000_000_000_000,
		InputTokens: 4, OutputTokens: 3, ReasoningTokens: -1, HTTPStatus: 200,
		Responses: []record.Response{{Offset: 50 * time.Millisecond, Kind: record.Content}}, EndOffset: 51 * time.Millisecond}
}

// writeRecords writes recs as dir's records file, each one as its "record"
// object: the records a report can rebuild, warmup ones too (the JSONL
// writer leaves those out).
func writeRecords(t *testing.T, dir string, recs ...*record.Record) {
	t.Helper()
	var lines []byte
	for _, r := range recs {
		line, err := json.Marshal(map[string]*record.Record{"record": r})
		if err != nil {
			t.Fatal(err)
		}
		lines = append(append(lines, line...), '\n')
	}
	testkit.WriteFile(t, dir, report.JSONLFile, string(lines))
}

// report DIR over records that leave nothing to measure exits 1 naming the
// file and leaves the exports of the run as they were: rewriting them would
// replace its results with nothing (the CSV with an empty file).
func TestReportRefusesNothingToReport(t *testing.T) {
	late := oneRecord(record.PhaseProfiling)
	late.LateForDuration = true
	for _, tc := range []struct {
		name    string
		records func(t *testing.T, dir string)
		want    string
	}{
		{"empty", func(t *testing.T, dir string) { testkit.WriteFile(t, dir, report.JSONLFile, "") }, "no records in "},
		{"only a cut-short line", func(t *testing.T, dir string) {
			testkit.WriteFile(t, dir, report.JSONLFile, `{"record":{"request_id":"r"`)
		}, "no records in "},
		{"only warmup", func(t *testing.T, dir string) {
			writeRecords(t, dir, oneRecord(record.PhaseWarmup), oneRecord(record.PhaseWarmup))
		}, "no measured records in "},
		{"only late", func(t *testing.T, dir string) { writeRecords(t, dir, late) }, "no measured records in "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeRecords(t, dir, oneRecord(record.PhaseProfiling))
			if code := run([]string{"report", dir}, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
				t.Fatalf("first report: exit %d", code)
			}
			csv, jsn := testkit.ReadFile(t, filepath.Join(dir, report.CSVFile)), testkit.ReadFile(t, filepath.Join(dir, report.JSONFile))
			tc.records(t, dir)
			before := testkit.ReadFile(t, filepath.Join(dir, report.JSONLFile))
			var errb bytes.Buffer
			code := run([]string{"report", dir}, &bytes.Buffer{}, &errb)
			want := tc.want + filepath.Join(dir, report.JSONLFile)
			if code != 1 || !strings.Contains(errb.String(), want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, errb.String(), want)
			}
			for name, was := range map[string][]byte{report.CSVFile: csv, report.JSONFile: jsn, report.JSONLFile: before} {
				if got := testkit.ReadFile(t, filepath.Join(dir, name)); !bytes.Equal(got, was) {
					t.Errorf("%s rewritten:\n%s\nwas\n%s", name, got, was)
				}
			}
		})
	}
}
