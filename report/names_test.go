package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --profile-export-prefix names every export as AIPerf's OutputConfig does:
// one known suffix stripped, then .csv, .json, .jsonl, _raw.jsonl,
// _timeslices.*, _server_metrics.*; only the last path element counts.
func TestNamesFor(t *testing.T) {
	cases := []struct{ prefix, base string }{
		{"run1", "run1"},
		{"run1.jsonl", "run1"},
		{"run1.csv", "run1"},
		{"run1_raw.jsonl", "run1"},
		{"run1_timeslices.json", "run1"},
		{"run1_server_metrics.csv", "run1"},
		{"run1.jsonl.jsonl", "run1.jsonl"}, // one suffix only
		{"/abs/dir/run1.json", "run1"},
		{"sub/run1", "run1"},
		{"my.run", "my.run"},
	}
	for _, c := range cases {
		got, err := NamesFor(c.prefix)
		if err != nil {
			t.Fatalf("%q: %v", c.prefix, err)
		}
		b := c.base
		want := Names{b + ".csv", b + ".json", b + ".jsonl", b + "_raw.jsonl", b + "_timeslices.csv", b + "_timeslices.json",
			b + "_server_metrics.json", b + "_server_metrics.csv"}
		if got != want {
			t.Errorf("%q: got %+v, want %+v", c.prefix, got, want)
		}
	}
	if got, _ := NamesFor(""); got != DefaultNames() || got.CSV != "profile_export_aiperf.csv" || got.JSONL != "profile_export.jsonl" {
		t.Errorf("no prefix: got %+v, want AIPerf's defaults", got)
	}
	for _, bad := range []string{".jsonl", "/", "_raw.jsonl"} {
		if _, err := NamesFor(bad); err == nil || !strings.Contains(err.Error(), "no file name") {
			t.Errorf("%q: got %v, want an error", bad, err)
		}
	}
}

// FindNames reads back what a run wrote: its only records file names the rest.
func TestFindNames(t *testing.T) {
	cases := []struct {
		name  string
		files []string
		want  string // the JSONL name; "" an error
	}{
		{"empty", nil, JSONLFile},
		{"defaults", []string{JSONLFile, RawJSONLFile}, JSONLFile},
		{"defaults win", []string{JSONLFile, "other.jsonl"}, JSONLFile},
		{"prefix", []string{"run1.jsonl", "run1_raw.jsonl", "run1.json", "x_server_metrics.jsonl", "x_gpu_telemetry.jsonl"}, "run1.jsonl"},
		{"two runs", []string{"a.jsonl", "b.jsonl"}, ""},
		// The accuracy grades and network-latency probes are no records file.
		{"prefix with side files", []string{"run1.jsonl", "run1_accuracy.jsonl", "profile_export_network_latency.jsonl"}, "run1.jsonl"},
		{"summary level with side files", []string{"accuracy_export.jsonl", "profile_export_network_latency.jsonl"}, JSONLFile},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range c.files {
				if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := FindNames(dir)
			switch {
			case c.want == "" && (err == nil || !strings.Contains(err.Error(), "a.jsonl, b.jsonl")):
				t.Errorf("got %+v, %v; want an error naming both files", got, err)
			case c.want != "" && (err != nil || got.JSONL != c.want):
				t.Errorf("got %q, %v; want %q", got.JSONL, err, c.want)
			}
		})
	}
}
