package probe

import (
	"testing"
	"time"
)

// A closed loop starts no more lanes than conversations its credits let start:
// --concurrency 100000000 with --request-count 1 starts one, not a hundred
// million goroutines that wait for nothing.
func TestLanesForCredits(t *testing.T) {
	deadline := newDeadlineCredits(time.Now().Add(time.Hour))
	cases := []struct {
		name        string
		concurrency int
		cr          credits
		want        int
	}{
		{"count below concurrency", 100_000_000, newCountCredits(1), 1},
		{"count above concurrency", 8, newCountCredits(100), 8},
		{"count spent", 8, newCountCredits(0), 1},
		{"no concurrency", 0, newCountCredits(5), 1},
		{"sessions", 64, newSessionCredits(3), 3},
		{"deadline sets no number", 64, deadline, 64},
		{"deadline and count", 64, bothCredits{deadline, newCountCredits(2)}, 2},
		{"sessions and count", 64, bothCredits{newSessionCredits(7), newCountCredits(4)}, 4},
		{"unlimited", 16, unlimited{}, 16},
	}
	for _, c := range cases {
		if got := lanesFor(c.concurrency, c.cr); got != c.want {
			t.Errorf("%s: lanesFor(%d) = %d, want %d", c.name, c.concurrency, got, c.want)
		}
	}
}
