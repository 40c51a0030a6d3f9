package metrics

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
	"testing"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// slicesOf adds recs to slices of sliceNs and returns the slices' results.
func slicesOf(t *testing.T, sliceNs int64, opt AggregateOptions, recs []*record.Record) []*Result {
	t.Helper()
	sl := NewSlices(sliceNs, opt)
	defer sl.Close()
	for _, r := range recs {
		sl.Add(r)
	}
	got, err := sl.Results()
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestSliceIndexEdges(t *testing.T) {
	const s = int64(1e9) // 1 s slices; t0 is a whole second
	for _, tc := range []struct {
		name    string
		startNs int64
		want    int64
	}{
		{"on a boundary opens the next slice", t0 + s, t0/s + 1},
		{"one ns before a boundary stays in the slice", t0 + s - 1, t0 / s},
		{"the run's first boundary", t0, t0 / s},
		{"before the first slice of the run", t0 - 1, t0/s - 1},
		{"after the last slice of the run", t0 + 10*s + 1, t0/s + 10},
		{"zero start", 0, 0},
		{"before 1970 floors", -1, -1},
	} {
		if got := SliceIndex(tc.startNs, s); got != tc.want {
			t.Errorf("%s: SliceIndex(%d) = %d, want %d", tc.name, tc.startNs, got, tc.want)
		}
	}
	// A slice that is not a divisor of a second: 1.5 s slices of the wall clock.
	if got := SliceIndex(3_000_000_000, 1_500_000_000); got != 2 {
		t.Errorf("3 s in 1.5 s slices: %d, want 2", got)
	}
}

func TestSlicesAssignByStartAndSkipEmpty(t *testing.T) {
	const s = int64(1e9)
	recs := []*record.Record{
		streamRec("on-boundary", t0, 10, 3, 5, 10, 15),
		streamRec("last-ns", t0+s-1, 10, 3, 5, 10, 15), // ends in the next slice: slices go by start
		streamRec("next", t0+s, 10, 3, 5, 10, 15),
		errRec("err", t0+s+5, 10, 500, "Internal Server Error", "boom"),
		streamRec("after-gap", t0+3*s+1, 10, 3, 5, 10, 15), // slice t0+2s..3s is empty
	}
	warm := streamRec("warmup", t0+2*s, 10, 3, 5)
	warm.Phase = record.PhaseWarmup
	late := streamRec("late", t0+2*s, 10, 3, 5)
	late.LateForDuration = true
	recs = append(recs, warm, late)

	got := slicesOf(t, s, AggregateOptions{ScratchDir: t.TempDir()}, recs)
	want := []struct{ valid, invalid int }{{2, 0}, {1, 1}, {1, 0}}
	if len(got) != len(want) {
		t.Fatalf("%d slices, want %d (empty slices left out, as AIPerf)", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Valid != w.valid || got[i].Invalid != w.invalid {
			t.Errorf("slice %d: %d valid %d errors, want %d and %d", i, got[i].Valid, got[i].Invalid, w.valid, w.invalid)
		}
	}
	// Per-slice throughput is over the slice's own window, as AIPerf derives it.
	if m, ok := got[0].Get(MinRequestTimestamp); !ok || m.Int != t0 {
		t.Errorf("slice 0 min_request_timestamp %v", m.Int)
	}
}

func TestSliceCountsSumToTheRun(t *testing.T) {
	const s = int64(250_000_000)
	var recs []*record.Record
	for i := 0; i < 500; i++ {
		start := t0 + int64(i)*7_919_000 // ~4 s of starts, not aligned to the slices
		if i%17 == 0 {
			recs = append(recs, errRec(fmt.Sprint(i), start, 10, 503, "Service Unavailable", "busy"))
			continue
		}
		recs = append(recs, streamRec(fmt.Sprint(i), start, 10+i%5, 3, 20, 30, 40+float64(i%9)))
	}
	run := Aggregate(recs, AggregateOptions{})
	got := slicesOf(t, s, AggregateOptions{}, recs)
	if len(got) < 15 {
		t.Fatalf("%d slices for ~4 s in 0.25 s slices", len(got))
	}
	valid, invalid := 0, 0
	var tokens float64
	for _, r := range got {
		valid += r.Valid
		invalid += r.Invalid
		m, _ := r.Get(TotalISL)
		tokens += m.Value
	}
	if valid != run.Valid || invalid != run.Invalid {
		t.Errorf("slices sum to %d valid %d errors, the run has %d and %d", valid, invalid, run.Valid, run.Invalid)
	}
	if m, _ := run.Get(TotalISL); tokens != m.Value {
		t.Errorf("slices' input tokens sum to %v, the run's are %v", tokens, m.Value)
	}
	if m, _ := run.Get(RequestCount); int(m.Value) != valid {
		t.Errorf("request_count %v, slices %d", m.Value, valid)
	}
}

// Each slice's result is exactly Aggregate over its own records, with the
// slices' records interleaved (their inter-chunk latencies then lie in runs
// across the shared scratch file).
func TestSlicesEqualAggregatePerSlice(t *testing.T) {
	const s = int64(1e9)
	perSlice := make([][]*record.Record, 3)
	sl := NewSlices(s, AggregateOptions{ScratchDir: t.TempDir(), Goodput: map[string]float64{TTFT: 50}})
	defer sl.Close()
	for i := 0; i < 3000; i++ {
		k := (i * 7 / 3) % 3 // runs of 2-3 records per slice, interleaved
		offs := []float64{float64(20 + i%90)}
		for j := 0; j < 1+i%40; j++ {
			offs = append(offs, offs[len(offs)-1]+float64(1+(i*j)%13)/3)
		}
		r := streamRec(fmt.Sprint(i), t0+int64(k)*s+int64(i)*1000, 10+i%7, len(offs), offs...)
		perSlice[k] = append(perSlice[k], r)
		sl.Add(r)
	}
	got, err := sl.Results()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d slices", len(got))
	}
	for k, recs := range perSlice {
		want := Aggregate(recs, AggregateOptions{Goodput: map[string]float64{TTFT: 50}})
		if !reflect.DeepEqual(got[k].Metrics, want.Metrics) {
			for tag, m := range want.Metrics {
				if !reflect.DeepEqual(got[k].Metrics[tag], m) {
					t.Errorf("slice %d %s: %+v, want %+v", k, tag, got[k].Metrics[tag], m)
				}
			}
			t.Fatalf("slice %d differs from Aggregate over its records", k)
		}
	}
}

// Many short slices cost about what their records cost: a slice's lists
// start small and every slice shares one scratch file (not a file, a 64 KiB
// buffer and 4096-entry blocks each).
func TestManySlicesStaySmall(t *testing.T) {
	const n = 2000
	fds := func() int { e, _ := os.ReadDir("/proc/self/fd"); return len(e) }
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fdBefore := fds()
	sl := NewSlices(1e6, AggregateOptions{ScratchDir: t.TempDir()}) // 1 ms slices, one record each
	defer sl.Close()
	for i := 0; i < n; i++ {
		sl.Add(streamRec(fmt.Sprint(i), t0+int64(i)*1e6, 10, 3, 5, 10, 15))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 20<<20 {
		t.Errorf("%d one-record slices hold %d MiB", n, grown>>20)
	}
	if opened := fds() - fdBefore; opened > 1 {
		t.Errorf("%d files opened for %d slices, want 1", opened, n)
	}
	got, err := sl.Results()
	if err != nil || len(got) != n {
		t.Fatalf("%d slices, %v", len(got), err)
	}
	if m, ok := got[n-1].Get(ICL); !ok || m.Stats.Count != 2 {
		t.Errorf("last slice ICL %+v", m)
	}
}

func TestChunksAcrossBlocks(t *testing.T) {
	var c Chunks[int]
	for i := 0; i < 3*chunkLen+5; i++ {
		c.Add(i)
	}
	for _, i := range []int{0, firstChunkLen, chunkLen - 1, chunkLen, 3 * chunkLen, c.Len() - 1} {
		if c.At(i) != i {
			t.Errorf("At(%d) = %d", i, c.At(i))
		}
	}
	if s := c.Slice(); len(s) != c.Len() || s[chunkLen+1] != chunkLen+1 {
		t.Errorf("Slice: %d values", len(s))
	}
}
