package probe

import (
	"bytes"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

// A buffer that outgrows keepBytes continues in its spill's mapping: its
// content is kept, it never moves again (no copy, no garbage), its capacity
// opens a spillStep at a time (what the budget counts), and free drops it.
func TestSpillGrowsInPlace(t *testing.T) {
	if mapBuffer(1) == nil {
		t.Skip("no anonymous mappings on this system: buffers grow on the heap")
	}
	const bound = 8 << 20
	var m spill
	var b []byte
	piece := make([]byte, 100_000)
	var mapped *byte
	for i := 0; len(b)+len(piece) <= bound; i++ {
		for j := range piece {
			piece[j] = byte(i + j)
		}
		b = append(m.room(b, len(piece), bound), piece...)
		if len(b) <= keepBytes {
			if m.mem != nil {
				t.Fatalf("mapped at %d bytes, within keepBytes", len(b))
			}
			continue
		}
		if mapped == nil {
			mapped = unsafe.SliceData(b)
		}
		if unsafe.SliceData(b) != mapped || unsafe.SliceData(b) != unsafe.SliceData(m.mem) {
			t.Fatalf("at %d bytes the buffer moved", len(b))
		}
		if want := (len(b) + spillStep - 1) / spillStep * spillStep; cap(b) != want {
			t.Fatalf("at %d bytes capacity %d, want %d", len(b), cap(b), want)
		}
		if !bytes.Equal(b[len(b)-len(piece):], piece) || b[0] != 0 || b[100_000] != 1 {
			t.Fatalf("at %d bytes the content changed", len(b))
		}
	}
	if mapped == nil {
		t.Fatal("never mapped")
	}
	if over := m.room(b, bound, bound); unsafe.SliceData(over) == mapped { // past the bound: the heap, as append
		t.Error("room past the bound stayed in the mapping")
	}
	m.free()
	if m.mem != nil {
		t.Error("free kept the mapping")
	}
}

// Reading a huge body, or a huge line, allocates next to nothing on Go's heap:
// without the spill, append's doubling allocated about twice the body (and
// the collector lets the heap reach twice what is live), so RSS was three
// times what the budget counted.
func TestHugeResponseStaysOffTheHeap(t *testing.T) {
	if mapBuffer(1) == nil {
		t.Skip("no anonymous mappings on this system: buffers grow on the heap")
	}
	const size = 32 << 20
	cases := []struct {
		name      string
		streaming bool
		body      string
	}{
		// not JSON, so no answer is copied out of it: the bytes read are all there is
		{"non-streamed body", false, "[" + strings.Repeat("b", size)},
		{"SSE line", true, ": " + strings.Repeat("a", 15<<20) + "\n\ndata: [DONE]\n\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				if c.streaming {
					w.Header().Set("Content-Type", "text/event-stream")
				}
				_, _ = io.WriteString(w, c.body)
			})
			b := newBudget(64 << 20)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			recs := runHandler(t, h, Config{budget: b, Concurrency: 1, RequestCount: 1, Streaming: c.streaming})
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			peak := b.state().peak
			t.Logf("%d bytes allocated on the heap; budget peak %d", alloc, peak)
			if len(recs) != 1 {
				t.Fatalf("%d records", len(recs))
			}
			if peak < len(c.body)/2 {
				t.Errorf("budget peak %d bytes: the response was not held", peak)
			}
			if alloc > 16<<20 { // about 5 MB measured (the dataset, the server); 82 MB and 201 MB by append
				t.Errorf("%d bytes allocated on the heap for a %d byte response", alloc, len(c.body))
			}
			if held := b.state().held; held != 0 {
				t.Errorf("%d bytes still reserved", held)
			}
		})
	}
}
