package probe

import (
	"context"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
)

// Against the mock with a slow first token, the requests it holds before
// their first token at once (counted by the mock) never exceed
// --prefill-concurrency, in every load shape; without the limit they do.
func TestPrefillLimitAgainstMock(t *testing.T) {
	const limit, n = 2, 12
	slow := mockserver.Config{TTFT: 300 * time.Millisecond, OutputTokens: 2, Seed: 1}
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"closed loop", Config{Concurrency: 6}},
		{"rate", Config{RequestRate: 100, Concurrency: 6}},
		{"user-centric", Config{Schedule: Schedule{Users: Users{Rate: 50, Count: 6}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, on := range []bool{true, false} {
				m := startMock(t, slow)
				cfg := tc.cfg
				cfg.RequestCount, cfg.Seed = n, 1
				if on {
					cfg.Prefill = Prefill{Limit: limit}
				}
				recs := runMock(t, context.Background(), m, chatDataset(n), cfg)
				if len(recs) != n {
					t.Fatalf("%d records, want %d", len(recs), n)
				}
				most := m.Server.MaxInPrefill()
				switch {
				case on && most > limit:
					t.Errorf("limit %d: the mock held %d requests before their first token at once", limit, most)
				case !on && most <= limit:
					t.Errorf("no limit: the mock held at most %d before their first token; the test cannot tell a limit", most)
				}
			}
		})
	}
}

// A prefill slot is given back at the first token, not at the end: with a
// limit of 1 and a long decode, the next request goes while the last one
// still streams, so requests overlap in flight.
func TestPrefillSlotFreedAtFirstToken(t *testing.T) {
	m := startMock(t, mockserver.Config{TTFT: 50 * time.Millisecond, ITL: 50 * time.Millisecond, OutputTokens: 20, Seed: 1})
	recs := runMock(t, context.Background(), m, chatDataset(3), Config{Concurrency: 3, RequestCount: 3, Seed: 1,
		Schedule: Schedule{Prefill: Prefill{Limit: 1}}})
	most := testkit.MostInFlight(recs)
	if most < 2 {
		t.Errorf("at most %d request(s) in flight: the slot was held past the first token", most)
	}
	if got := m.Server.MaxInPrefill(); got != 1 {
		t.Errorf("the mock held %d requests before their first token at once, want 1", got)
	}
}

// A request that fails before any token gives its slot back: with a limit of
// 1 and every request answered 500, all of them are still sent.
func TestPrefillSlotFreedOnError(t *testing.T) {
	m := startMock(t, mockserver.Config{Faults: mockserver.Faults{Error500: 1}, Seed: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	recs := runMock(t, ctx, m, chatDataset(4), Config{Concurrency: 2, RequestCount: 4, Seed: 1,
		Schedule: Schedule{Prefill: Prefill{Limit: 1}}})
	if len(recs) != 4 {
		t.Fatalf("%d records, want 4: a failed request kept its prefill slot", len(recs))
	}
	for _, r := range recs {
		if r.Error == nil {
			t.Errorf("request %s did not fail", r.RequestID)
		}
	}
}

// A ramped gate opens with one slot and frees the others on the ramp's
// schedule; a gate without a limit is none.
func TestPrefillGateRamp(t *testing.T) {
	if g := newPrefillGate(context.Background(), Prefill{}); g != nil {
		t.Fatal("a gate without a limit")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	g := newPrefillGate(ctx, Prefill{Limit: 3, Ramp: 200 * time.Millisecond})
	done, stop := context.WithCancel(context.Background())
	stop()
	if _, ok := g.acquire(done); !ok {
		t.Fatal("the ramp's first slot is not free at once")
	}
	if _, ok := g.acquire(done); ok {
		t.Fatal("a second slot is free before the ramp freed it")
	}
	wait, stopWait := context.WithTimeout(context.Background(), 30*time.Second)
	defer stopWait()
	for i := 2; i <= 3; i++ {
		if _, ok := g.acquire(wait); !ok {
			t.Fatalf("slot %d never freed by the ramp", i)
		}
	}
}
