//go:build linux

package main

import (
	"strings"
	"testing"
	"time"
)

func TestMedianOfAndPairedRatio(t *testing.T) {
	for _, tc := range []struct {
		name   string
		a, b   []float64
		median float64 // of a
		paired float64 // a ÷ b by round
	}{
		{"odd", []float64{3, 1, 2}, []float64{1, 1, 1}, 2, 2},
		{"even takes the middle two", []float64{4, 1, 3, 2}, []float64{2, 2, 2, 2}, 2.5, 1.25},
		{"a failed round (0) is left out of both", []float64{10, 0, 30}, []float64{5, 7, 0}, 20, 2},
		{"rounds pair by index, not by size", []float64{1, 100}, []float64{100, 1}, 50.5, 50.005},
		{"nothing measured", nil, nil, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := medianOf(tc.a); got != tc.median {
				t.Errorf("medianOf(%v) = %v, want %v", tc.a, got, tc.median)
			}
			if got := pairedRatio(tc.a, tc.b); got != tc.paired {
				t.Errorf("pairedRatio(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.paired)
			}
		})
	}
}

// The bare client's write follows the probe's rule for request_written: a
// WroteRequest after the first response byte gives way to WroteHeaders.
func TestWriteTraceRule(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		reused                    bool
		headers, wrote, firstByte int64
		want                      time.Duration
	}{
		{"new connection: not measured", false, 5, 9, 50, -1},
		{"written before the answer", true, 5, 9, 50, 9},
		{"WroteRequest ran after the first byte", true, 5, 60, 50, 5},
		{"WroteRequest never ran", true, 5, 0, 50, 5},
		{"no answer yet: what was seen", true, 5, 9, 0, 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var w writeTrace
			w.reused.Store(tc.reused)
			w.headers.Store(tc.headers)
			w.wrote.Store(tc.wrote)
			w.firstByte.Store(tc.firstByte)
			if got := w.write(); got != tc.want {
				t.Errorf("write() = %v, want %v", got, tc.want)
			}
		})
	}
}

// A run's JSON from before the write was measured still renders: no write
// table, and no load average claimed for it.
func TestKStampSectionOldJSON(t *testing.T) {
	row := func(client string, p99 float64) KStampRow {
		return KStampRow{Load: "none added", Result: &TruthResult{Client: client, Concurrency: 256, ChunkErrP50us: 10, ChunkErrP99us: p99, ClientCPUPerChunkus: 30}}
	}
	old := &KStampResults{Rows: []KStampRow{row("ours", 20), row("ours-user", 100), row("bare", 100)}}
	s := kstampSection(old, 2)
	for _, want := range []string{"load average not recorded", "| 256 | none added | 0.200 met |"} {
		if !strings.Contains(s, want) {
			t.Errorf("section lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "Request write") {
		t.Errorf("section has a write table without write data:\n%s", s)
	}
	for i := range old.Rows {
		old.Rows[i].WriteRounds = []float64{10, 12}
		old.Rows[i].WriteMeanRounds = []float64{20, 24}
		old.Rows[i].LoadAvgStart, old.Rows[i].LoadAvgEnd = "1.00 2.00 3.00", "4.00 5.00 6.00"
	}
	s = kstampSection(old, 2)
	for _, want := range []string{"256 streams, none added: 1.00 2.00 3.00 → 4.00 5.00 6.00",
		"| 256 | none added | mean | 22.0 µs (20.0/24.0) |"} {
		if !strings.Contains(s, want) {
			t.Errorf("section lacks %q:\n%s", want, s)
		}
	}
}
