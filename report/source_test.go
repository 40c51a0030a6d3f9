package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

func TestSkippedEvents(t *testing.T) {
	rec := func(n int, phase record.Phase, late bool) *record.Record {
		return &record.Record{SkippedEvents: n, Phase: phase, LateForDuration: late}
	}
	cases := []struct {
		name string
		recs []*record.Record
		want int
	}{
		{"none", nil, 0},
		{"profiling", []*record.Record{rec(2, record.PhaseProfiling, false), rec(1, "", false)}, 3},
		{"warmup left out", []*record.Record{rec(2, record.PhaseWarmup, false), rec(1, record.PhaseProfiling, false)}, 1},
		{"late left out", []*record.Record{rec(4, record.PhaseProfiling, true), nil, rec(0, record.PhaseProfiling, false)}, 0},
	}
	for _, c := range cases {
		if got := SkippedEvents(c.recs); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
}

// The run fields records cannot rebuild survive a re-render: WriteAll, then
// ReadSource + Apply on a bare RunInfo and WriteAll again give the same JSON.
func TestSourceRoundTrip(t *testing.T) {
	recs := threeRequests()
	recs[1].SkippedEvents = 2
	late := streamRec("late", 0, t0, 550, 3, 10)
	late.LateForDuration, late.SkippedEvents = true, 5
	recs = append(recs, late)
	res := aggregate(recs)

	info := testInfo()
	info.Start, info.End = time.Unix(0, t0-1_000_000), time.Unix(0, t0+300_000_000) // local, as profile writes them
	info.Cancelled = true
	info.DroppedLateRequests = 1
	info.Extra = []Field{{Key: "custom_note", Value: json.RawMessage(`{"kept":true}`)}, {Key: "token_source", Value: json.RawMessage(`"ignored"`)}}
	first := t.TempDir()
	if _, err := WriteAll(first, res, recs, info); err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(filepath.Join(first, JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(orig, &doc); err != nil {
		t.Fatal(err)
	}
	if doc[droppedLateKey] != 1.0 || doc[skippedEventsKey] != 2.0 || doc["token_source"] != "words" || doc["custom_note"] == nil {
		t.Fatalf("run fields: dropped %v skipped %v token_source %v custom_note %v",
			doc[droppedLateKey], doc[skippedEventsKey], doc["token_source"], doc["custom_note"])
	}

	src, found, err := ReadSource(first)
	if err != nil || !found {
		t.Fatalf("ReadSource: found %v, %v", found, err)
	}
	again := RunInfo{ArtifactDir: "elsewhere"}
	src.Apply(&again)
	second := t.TempDir()
	if _, err := WriteAll(second, res, recs, again); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(filepath.Join(second, JSONFile))
	if !bytes.Equal(got, orig) {
		t.Errorf("re-rendered JSON differs:\n%s\nwant\n%s", got, orig)
	}
}

func TestReadSourceBadInput(t *testing.T) {
	dir := t.TempDir()
	if _, found, err := ReadSource(dir); found || err != nil {
		t.Errorf("no JSON: found %v, err %v", found, err)
	}
	cases := map[string]string{
		"not an object": `[1,2]`,
		"bad time":      `{"start_time": "yesterday"}`,
		"bad count":     `{"dropped_late_requests": "two"}`,
		"truncated":     `{"input_config": {"a":`,
	}
	for name, text := range cases {
		if err := os.WriteFile(filepath.Join(dir, JSONFile), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := ReadSource(dir)
		if err == nil || !strings.Contains(err.Error(), JSONFile) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: want one line naming %s, got %v", name, JSONFile, err)
		}
	}
}

func TestMergeSources(t *testing.T) {
	at := func(s int64) time.Time { return time.Unix(s, 0) }
	a := Source{InputConfig: json.RawMessage(`{"a":1}`), DroppedLateRequests: 2, Start: at(10), End: at(20),
		Extra: []Field{{Key: "x", Value: json.RawMessage(`1`)}}}
	b := Source{DroppedLateRequests: 3, Cancelled: true, Start: at(5), End: at(30)}
	empty := Source{}
	cases := []struct {
		name string
		in   []Source
		want Source
	}{
		{"one is kept whole", []Source{a}, a},
		{"several add up", []Source{a, b}, Source{DroppedLateRequests: 5, Cancelled: true, Start: at(5), End: at(30)}},
		{"a shard without times", []Source{empty, a}, Source{DroppedLateRequests: 2, Start: at(10), End: at(20)}},
	}
	for _, c := range cases {
		got := MergeSources(c.in)
		if string(got.InputConfig) != string(c.want.InputConfig) || got.DroppedLateRequests != c.want.DroppedLateRequests ||
			got.Cancelled != c.want.Cancelled || !got.Start.Equal(c.want.Start) || !got.End.Equal(c.want.End) ||
			len(got.Extra) != len(c.want.Extra) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}
