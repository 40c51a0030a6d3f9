package metrics

import (
	"math"
	"math/rand"
	"reflect"
	"testing"
)

// summarizeStore gives Summarize's numbers to the last bit, from memory and
// from a scratch file, over spans read out of order, for sizes around
// pairwiseSum's block edges, with ties, zeros and negative values.
func TestSummarizeStoreMatchesSummarize(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	gens := map[string]func() float64{
		"latencies": func() float64 { return float64(rng.Int63n(50_000_000)) / 1e6 },
		"ties":      func() float64 { return float64(rng.Intn(4)) },
		"signed":    func() float64 { return rng.NormFloat64() * 1e3 },
		"wide":      func() float64 { return math.Exp(rng.Float64()*80 - 40) },
	}
	defer func(v int) { inMemoryValues = v }(inMemoryValues)
	for _, limit := range []int{0, inMemoryValues} { // streamed, then in memory
		inMemoryValues = limit
		for name, gen := range gens {
			for _, n := range []int{1, 2, 7, 8, 9, 127, 128, 129, 1000, 5003} {
				// Records of 0-9 values each, stored in arrival order, read in another order.
				var spans []span
				var arrival []float64
				for len(arrival) < n {
					k := min(rng.Intn(10), n-len(arrival))
					spans = append(spans, span{off: len(arrival), n: k})
					for i := 0; i < k; i++ {
						arrival = append(arrival, gen())
					}
				}
				rng.Shuffle(len(spans), func(i, j int) { spans[i], spans[j] = spans[j], spans[i] })
				var ordered []float64
				for _, s := range spans {
					ordered = append(ordered, arrival[s.off:s.off+s.n]...)
				}
				want := Summarize(ordered)

				file, err := newFileValues(t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				for kind, vs := range map[string]values{"memory": &memValues{}, "file": file} {
					for _, x := range arrival {
						vs.add(x)
					}
					got, err := summarizeStore(vs, spans)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("%s n=%d %s (in memory up to %d):\n got %+v\nwant %+v", name, n, kind, limit, got, want)
					}
					if err := vs.close(); err != nil {
						t.Error(err)
					}
				}
			}
		}
	}
}
