package probe

import (
	"context"
	"testing"
	"time"
)

// The precise wait never returns before its deadline, returns soon after it
// (a generous bound: the machine is shared), and gives up when ctx ends.
func TestPacerWait(t *testing.T) {
	p := newPacer(time.Now())
	for _, d := range []time.Duration{-time.Millisecond, 0, 50 * time.Microsecond, 300 * time.Microsecond, 3 * time.Millisecond} {
		at := time.Now().Add(d)
		if !p.wait(context.Background(), at) {
			t.Fatalf("wait %v: false without cancellation", d)
		}
		if late := time.Since(at); late < 0 || late > 500*time.Millisecond {
			t.Errorf("wait %v: returned %v after the deadline", d, late)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	if p.wait(ctx, time.Now().Add(time.Hour)) {
		t.Error("wait for an hour returned true on a cancelled context")
	}
	if time.Since(t0) > 5*time.Second {
		t.Errorf("cancelled wait took %v", time.Since(t0))
	}
}

// next keeps an absolute schedule and bounds the catch-up; rebase moves a
// schedule in the past to now.
func TestPacerSchedule(t *testing.T) {
	start := time.Now()
	p := newPacer(start)
	if got := p.next(time.Millisecond); !got.Equal(start.Add(time.Millisecond)) {
		t.Errorf("next = %v after start, want 1ms", got.Sub(start))
	}
	p = newPacer(time.Now().Add(-10 * time.Second))
	if behind := time.Since(p.next(time.Millisecond)); behind > maxCatchUp+time.Second || behind < maxCatchUp-time.Second {
		t.Errorf("10 s behind: schedule rebased to %v behind, want about %v", behind, maxCatchUp)
	}
	p.rebase(time.Now())
	if time.Since(p.at) < 0 || time.Since(p.at) > time.Second {
		t.Errorf("rebase left the schedule %v from now", time.Since(p.at))
	}
}
