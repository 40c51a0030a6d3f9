package probe

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Closed-loop start offsets: one per worker, each inside its own stratum of
// the window (so the phases cover it evenly), the window growing 1 ms per
// worker up to closedSpread; a burst keeps its requests within burstStagger.
func TestStartOffsets(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n      int
		burst  bool
		window time.Duration
	}{
		{"one worker", 1, false, time.Millisecond},
		{"small loop", 8, false, 8 * time.Millisecond},
		{"256 streams", 256, false, closedSpread},
		{"1024 streams", 1024, false, closedSpread},
		{"burst", 3, true, burstStagger},
		{"big burst", 500, true, burstStagger},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &engine{rng: rand.New(rand.NewPCG(1, 2))}
			offs := e.startOffsets(tc.n, tc.burst)
			if len(offs) != tc.n {
				t.Fatalf("%d offsets for %d workers", len(offs), tc.n)
			}
			stratum := tc.window / time.Duration(tc.n)
			for i, o := range offs {
				if o < 0 || o >= tc.window {
					t.Fatalf("offset %d = %v outside [0, %v)", i, o, tc.window)
				}
				if !tc.burst && (o < time.Duration(i)*stratum-time.Microsecond || o > time.Duration(i+1)*stratum+time.Microsecond) {
					t.Fatalf("offset %d = %v outside its stratum of %v", i, o, stratum)
				}
			}
			if tc.n >= 256 && !tc.burst && offs[tc.n-1] < tc.window*9/10 {
				t.Errorf("last offset %v: the starts do not cover the %v window", offs[tc.n-1], tc.window)
			}
		})
	}
}

// The same seed gives the same offsets; the phases inside the strata are
// random, not a regular grid.
func TestStartOffsetsSeededJitter(t *testing.T) {
	a := (&engine{rng: rand.New(rand.NewPCG(7, 1))}).startOffsets(256, false)
	b := (&engine{rng: rand.New(rand.NewPCG(7, 1))}).startOffsets(256, false)
	distinct := map[time.Duration]bool{}
	step := closedSpread / 256
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("offset %d differs for one seed: %v vs %v", i, a[i], b[i])
		}
		distinct[(a[i]-time.Duration(i)*step)/time.Microsecond] = true
	}
	if len(distinct) < 100 {
		t.Errorf("only %d distinct phases within the strata: a grid, not jitter", len(distinct))
	}
}
