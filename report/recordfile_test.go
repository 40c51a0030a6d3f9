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

// A RecordFile puts a record on disk without being closed (its flusher runs
// every FlushInterval), writes the lines WriteJSONL writes, and leaves warmup
// and late records out; the raw file keeps every record whole.
func TestRecordFile(t *testing.T) {
	dir := t.TempDir()
	recs := withErrors()
	late := streamRec("late", 0, t0, 550, 3, 10, 20, 30)
	late.LateForDuration = true
	recs = append(recs, late)

	path, rawPath := filepath.Join(dir, JSONLFile), filepath.Join(dir, RawJSONLFile)
	f, err := CreateRecordFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := CreateRecordFile(rawPath, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		f.Add(r)
		raw.Add(r)
	}
	// On disk before Close: the flusher wrote it (no timing asserted, only that it comes).
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if b, _ := os.ReadFile(path); bytes.Count(b, []byte("\n")) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("nothing flushed without Close")
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil { // closing twice is harmless
		t.Fatal(err)
	}

	var want bytes.Buffer
	if err := WriteJSONL(&want, recs); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, want.Bytes()) {
		t.Errorf("streamed JSONL differs from WriteJSONL's:\n%s\nwant\n%s", got, want.Bytes())
	}
	b, _ := os.ReadFile(rawPath)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != len(recs) {
		t.Fatalf("raw file has %d lines, want %d (warmup and late included)", len(lines), len(recs))
	}
	for i, l := range lines {
		var r record.Record
		if err := json.Unmarshal([]byte(l), &r); err != nil || r.RequestID != recs[i].RequestID || len(r.Responses) != len(recs[i].Responses) {
			t.Errorf("raw line %d: %v %+v", i+1, err, r)
		}
	}
}

// EachRecord skips a last line cut short (no newline, no valid JSON) and
// counts it; a bad line elsewhere is an error naming the line; a whole last
// line without its newline is kept.
func TestEachRecordTruncated(t *testing.T) {
	var whole bytes.Buffer
	if err := WriteJSONL(&whole, threeRequests()); err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(whole.Bytes(), []byte("\n"))
	cut := append(append([]byte{}, whole.Bytes()...), lines[0][:40]...)
	badMiddle := append(append(append([]byte{}, lines[0]...), lines[1][:40]...), append([]byte("\n"), lines[2]...)...)
	noNewline := bytes.TrimSuffix(whole.Bytes(), []byte("\n"))
	cases := []struct {
		name          string
		data          []byte
		records, skip int
		err           string
	}{
		{"whole", whole.Bytes(), 3, 0, ""},
		{"last line cut", cut, 3, 1, ""},
		{"last line whole without newline", noNewline, 3, 0, ""},
		{"bad line in the middle", badMiddle, 0, 0, ":2: "},
	}
	for _, c := range cases {
		path := filepath.Join(t.TempDir(), JSONLFile)
		if err := os.WriteFile(path, c.data, 0o644); err != nil {
			t.Fatal(err)
		}
		n := 0
		skip, err := EachRecord(path, func(*record.Record) { n++ })
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one with %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || n != c.records || skip != c.skip {
			t.Errorf("%s: %d records, %d skipped, %v; want %d, %d", c.name, n, skip, err, c.records, c.skip)
		}
	}
}
