package probe

import (
	"context"
	"testing"
	"time"
)

// BenchmarkIdleClockSend is what the system idle cap adds to each send of an
// agentic replay lane: a wait already due, then the request's end.
func BenchmarkIdleClockSend(b *testing.B) {
	for _, on := range []bool{false, true} {
		name := map[bool]string{false: "off", true: "on"}[on]
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			c := newIdleClock(10*time.Second, on, time.Now())
			past := time.Now().Add(-time.Second)
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := c.waitUntil(ctx, past); !ok {
					b.Fatal("wait failed")
				}
				c.end()
			}
		})
	}
}

// BenchmarkNewLane is the cost of placing one lane on a 200-request trace.
func BenchmarkNewLane(b *testing.B) {
	starts := make([]float64, 200)
	for i := range starts {
		starts[i] = float64(i) * 3
	}
	c := traceConv("t", starts...)
	a := Agentic{MinRatio: 0.25, MaxRatio: 0.75}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		newLane(c, i, 42, a)
	}
}
