package httpclient

import (
	"testing"
	"time"
)

// A kernel stamp is moved onto the monotonic clock by its age at the read, and
// refused when it cannot be this request's: none yet, older than the request's
// start, or from the future (a wall clock step).
func TestArrivalSince(t *testing.T) {
	start := time.Now()
	now := start.Add(5 * time.Millisecond)
	for _, tc := range []struct {
		name  string
		set   bool
		age   time.Duration // now's wall reading minus the kernel's stamp
		start time.Time
		want  time.Duration
		ok    bool
	}{
		{name: "no stamp yet", start: start},
		{name: "fresh", set: true, age: 2 * time.Millisecond, start: start, want: 3 * time.Millisecond, ok: true},
		{name: "at the read", set: true, start: start, want: 5 * time.Millisecond, ok: true},
		{name: "before the request started", set: true, age: 6 * time.Millisecond, start: start},
		{name: "from the future", set: true, age: -time.Millisecond, start: start},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var a Arrival
			if tc.set {
				a.Stamp(now.UnixNano()-int64(tc.age), now)
			}
			got, ok := a.Since(tc.start)
			if ok != tc.ok || (ok && got != tc.want) {
				t.Fatalf("Since = %v, %v; want %v, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
	// A read whose stamp converts a few ns earlier than the previous read's
	// (the same packet read in two parts) keeps the previous arrival.
	var a Arrival
	a.Stamp(now.UnixNano()-int64(2*time.Millisecond), now)
	a.Stamp(now.UnixNano()-int64(2*time.Millisecond+10), now)
	if got, _ := a.Since(start); got != 3*time.Millisecond {
		t.Fatalf("a later read moved the arrival back to %v, want it kept at 3ms", got)
	}
	var none *Arrival
	if _, ok := none.Since(start); ok {
		t.Fatal("a nil Arrival gave a stamp")
	}
}
