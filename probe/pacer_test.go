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
		// Loose: a loaded CI machine has descheduled this process for 740 ms;
		// it still catches a wait in the wrong unit (seconds for milliseconds).
		if late := time.Since(at); late < 0 || late > 2*time.Second {
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
	// Bracketed by the clock readings around the call, so no machine load can
	// move the result outside the bounds.
	p = newPacer(time.Now().Add(-10 * time.Second))
	before := time.Now()
	got := p.next(time.Millisecond)
	after := time.Now()
	if got.Before(before.Add(-maxCatchUp)) || got.After(after.Add(-maxCatchUp)) {
		t.Errorf("10 s behind: schedule rebased to %v before the call, want %v", before.Sub(got), maxCatchUp)
	}
	now := time.Now()
	p.rebase(now)
	if !p.at.Equal(now) {
		t.Errorf("rebase left the schedule at %v, want the given now %v", p.at, now)
	}
	p.rebase(now.Add(-time.Second))
	if !p.at.Equal(now) {
		t.Errorf("rebase to an earlier time moved the schedule back to %v", p.at)
	}
}
