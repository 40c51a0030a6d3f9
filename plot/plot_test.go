package plot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

var fixtures = []string{"testdata/mock-concurrency1", "testdata/c4", "testdata/c8"}

func loadFixtures(t *testing.T) []Run {
	t.Helper()
	var runs []Run
	for _, d := range fixtures {
		r, err := LoadRun(d)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	return runs
}

// The fixtures are streamed runs with audio and some HTTP 500s: every chart is
// drawn, shows its data in blue and, on the timelines, the failures in red.
func TestWriteRunFromFixtures(t *testing.T) {
	for _, run := range loadFixtures(t) {
		t.Run(run.Name, func(t *testing.T) {
			out := t.TempDir()
			files, err := WriteRun(out, run.Name, run.Records)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{TTFTOverTimeFile, LatencyOverTimeFile, TTFTDistributionFile, ITLDistributionFile, TTFTVsAudioFile}
			if len(files) != len(want) {
				t.Fatalf("wrote %v, want %v", files, want)
			}
			for i, f := range files {
				if f != filepath.Join(out, want[i]) {
					t.Errorf("file %d: %s, want %s", i, f, want[i])
				}
			}
			failures := 0
			for _, r := range run.Records {
				if !r.Valid() {
					failures++
				}
			}
			if failures == 0 {
				t.Fatal("fixture has no failed request: the error marks go untested")
			}
			checkChart(t, files[0], 100, blue, red)
			checkChart(t, files[1], 100, blue, red)
			checkChart(t, files[2], 100, blue, green, red)
			checkChart(t, files[3], 1000, blue)
			checkChart(t, files[4], 100, blue, orange)
		})
	}
}

func TestWriteComparison(t *testing.T) {
	out := t.TempDir()
	files, err := WriteComparison(out, loadFixtures(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || filepath.Base(files[0]) != LatencyVsConcurrencyFile || filepath.Base(files[1]) != ThroughputVsPerUserFile {
		t.Fatalf("wrote %v", files)
	}
	checkChart(t, files[0], 300, blue, orange)
	checkChart(t, files[1], 300, purple)
}

// A non-streamed run has no TTFT or ITL, and a run without audio no audio
// chart: those charts are skipped, not drawn empty.
func TestChartsWithoutData(t *testing.T) {
	var recs []*record.Record
	for i := range 30 {
		r := &record.Record{RequestID: "r", Phase: record.PhaseProfiling, StartNs: int64(1e9 + i*int(1e8)),
			InputTokens: 10, OutputTokens: 5, HTTPStatus: 200,
			Responses: []record.Response{{Offset: 50*time.Millisecond + time.Duration(i%7)*time.Millisecond, Kind: record.Content}}}
		recs = append(recs, r)
	}
	recs = append(recs, &record.Record{Phase: record.PhaseWarmup, StartNs: 1, Streaming: true, AudioSeconds: 1,
		Responses: []record.Response{{Offset: 1, Kind: record.Content}, {Offset: 2, Kind: record.Content}}})
	out := t.TempDir()
	files, err := WriteRun(out, "plain", recs)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || filepath.Base(files[0]) != LatencyOverTimeFile {
		t.Fatalf("wrote %v, want only the latency timeline (the warmup record must not count)", files)
	}
	checkChart(t, files[0], 100, blue)

	if _, err := WriteRun(t.TempDir(), "warm", recs[len(recs)-1:]); err == nil || !strings.Contains(err.Error(), "no profiling records") {
		t.Fatalf("warmup only: %v, want an error", err)
	}
}

func TestLoadRun(t *testing.T) {
	cases := []struct {
		dir  string
		want int
	}{
		{"testdata/c4", 4},                // input_config.loadgen.concurrency
		{"testdata/mock-concurrency1", 1}, // no JSON export: the directory name
	}
	for _, c := range cases {
		r, err := LoadRun(c.dir)
		if err != nil {
			t.Fatal(err)
		}
		if r.Concurrency != c.want || len(r.Records) != 40 || r.Name != filepath.Base(c.dir) {
			t.Errorf("%s: concurrency %d, %d records, name %q", c.dir, r.Concurrency, len(r.Records), r.Name)
		}
	}
	bad := t.TempDir()
	if err := os.WriteFile(filepath.Join(bad, "profile_export.jsonl"), []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{bad, filepath.Join(bad, "missing")} {
		if _, err := LoadRun(dir); err == nil || !strings.Contains(err.Error(), dir) {
			t.Errorf("LoadRun(%s): %v, want an error naming the path", dir, err)
		}
	}
}
