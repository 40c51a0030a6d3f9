package probe

import (
	"context"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/internal/testkit"
	"github.com/aiperf-exporter/aiperf-exporter/mockserver"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// --warmup-concurrency: the warmup keeps its own number of requests in
// flight, then profiling runs at the run's.
func TestWarmupConcurrencyOfItsOwn(t *testing.T) {
	m := startMock(t, mockserver.Config{OutputTokens: 2, Seed: 1, TTFT: 300 * time.Millisecond})
	recs := runMock(t, context.Background(), m, chatDataset(8), Config{Concurrency: 1, RequestCount: 3, WarmupCount: 8,
		Warmup: WarmupLoad{Concurrency: 4}})
	warmup, profiling := testkit.ByPhase(recs)
	if len(warmup) != 8 || len(profiling) != 3 {
		t.Fatalf("%d warmup and %d profiling records, want 8 and 3", len(warmup), len(profiling))
	}
	if got := testkit.MostInFlight(warmup); got != 4 {
		t.Errorf("warmup ran %d requests at once, want 4 (--warmup-concurrency)", got)
	}
	if got := testkit.MostInFlight(profiling); got != 1 {
		t.Errorf("profiling ran %d requests at once, want 1 (--concurrency)", got)
	}
	for _, r := range recs {
		if !r.Valid() && r.Phase != record.PhaseWarmup {
			t.Errorf("request failed: %+v", r.Error)
		}
	}
}

// --warmup-request-rate and --warmup-arrival-pattern make a closed-loop run's
// warmup an open loop: constant arrivals are scheduled exactly 1/rate apart.
func TestWarmupRequestRateOfItsOwn(t *testing.T) {
	m := startMock(t, fastMock)
	recs := runMock(t, context.Background(), m, chatDataset(8), Config{Concurrency: 1, RequestCount: 2, WarmupCount: 6,
		Schedule: Schedule{Arrivals: Arrivals{Pattern: "poisson"}},
		Warmup:   WarmupLoad{RequestRate: 20, ArrivalPattern: "constant", Concurrency: 50}})
	warmup, profiling := testkit.ByPhase(recs)
	if len(warmup) != 6 || len(profiling) != 2 {
		t.Fatalf("%d warmup and %d profiling records, want 6 and 2", len(warmup), len(profiling))
	}
	slices.SortFunc(warmup, func(a, b *record.Record) int { return int(a.IntendedStartNs - b.IntendedStartNs) })
	for i := 2; i < len(warmup); i++ { // the first leaves at once; the schedule counts from the start
		if gap := time.Duration(warmup[i].IntendedStartNs - warmup[i-1].IntendedStartNs); gap != 50*time.Millisecond {
			t.Errorf("warmup arrival %d came %v after the one before, want 50ms (constant 20/s)", i, gap)
		}
	}
	if got := testkit.MostInFlight(profiling); got != 1 {
		t.Errorf("profiling ran %d requests at once, want the closed loop's 1", got)
	}
}

// --warmup-grace-period: warmup requests still running that long after the
// warmup's last send are cancelled and profiling starts; unset, they finish.
func TestWarmupGracePeriod(t *testing.T) {
	m := startMock(t, mockserver.Config{OutputTokens: 2, Seed: 1, TTFT: 1500 * time.Millisecond})
	for _, c := range []struct {
		name      string
		warmup    WarmupLoad
		wantValid bool
	}{
		{"unset: waited for", WarmupLoad{}, true},
		{"0.1 s: cancelled", WarmupLoad{Grace: 100 * time.Millisecond, GraceSet: true}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			recs := runMock(t, context.Background(), m, chatDataset(4), Config{Concurrency: 2, RequestCount: 1, WarmupCount: 2, Warmup: c.warmup})
			warmup, profiling := testkit.ByPhase(recs)
			if len(warmup) != 2 || len(profiling) != 1 || !profiling[0].Valid() {
				t.Fatalf("%d warmup and %d profiling records (want 2 and 1, the latter valid)", len(warmup), len(profiling))
			}
			for _, r := range warmup {
				if r.Valid() != c.wantValid {
					t.Errorf("warmup request valid: %v, want %v (%+v)", r.Valid(), c.wantValid, r.Error)
				}
				if !c.wantValid && r.StartNs+int64(r.EndOffset) > profiling[0].StartNs {
					t.Errorf("a cancelled warmup request ended after profiling started")
				}
			}
		})
	}
}

// --num-warmup-sessions counts conversations: each warmup conversation sends
// all its turns, and the warmup ends after that many.
func TestWarmupSessions(t *testing.T) {
	srv := httptest.NewServer(&fakeServer{})
	defer srv.Close()
	cfg := Config{Targets: []Target{{Name: "t", URL: srv.URL + "/v1/chat/completions"}}, Streaming: true,
		Concurrency: 1, RequestCount: 2, WarmupSessions: 2, Timeout: 10 * time.Second}
	var recs []*record.Record // one worker: the sink is called in turn
	if err := Run(context.Background(), cfg, multiTurn(4, 3), func(r *record.Record) { recs = append(recs, r) }); err != nil {
		t.Fatal(err)
	}
	warmup, profiling := testkit.ByPhase(recs)
	conversations := map[string]int{}
	for _, r := range warmup {
		conversations[r.ConversationID]++
	}
	if len(warmup) != 6 || len(conversations) != 2 {
		t.Errorf("warmup: %d requests over conversations %v, want 2 conversations of 3 turns", len(warmup), conversations)
	}
	if len(profiling) != 2 {
		t.Errorf("%d profiling requests, want 2", len(profiling))
	}
}

// The warmup's load takes --warmup-prefill-concurrency and its ramp over the
// run's, and none of the profiling-only shapes (a rate series, users).
func TestWarmupLoadPrefillAndProfilingShapes(t *testing.T) {
	c := Config{Schedule: Schedule{
		Prefill:    Prefill{Limit: 3, Ramp: time.Second},
		RateSeries: []RatePoint{{0, 5}, {1, 10}},
		Users:      Users{Rate: 2, Count: 4},
	}}
	c.Warmup.Prefill = Prefill{Limit: 1}
	w, p := c.warmupLoad(), c.profilingLoad()
	if w.prefill != (Prefill{Limit: 1, Ramp: time.Second}) || p.prefill != (Prefill{Limit: 3, Ramp: time.Second}) {
		t.Errorf("prefill: warmup %+v, profiling %+v", w.prefill, p.prefill)
	}
	if w.series != nil || w.users != (Users{}) || w.rate != 5 {
		t.Errorf("warmup: series %v, users %+v, rate %g; want none, none, the series' first rate", w.series, w.users, w.rate)
	}
	if len(p.series) != 2 || p.users != c.Users || p.rate != 5 {
		t.Errorf("profiling: series %v, users %+v, rate %g", p.series, p.users, p.rate)
	}
}

// A prefill limit of its own in the warmup: the mock never holds more than
// the warmup's 1 before their first token, though the run's limit is 3 (the
// profiling phase, 1 ns long, sends nothing, so the mock sees only the warmup).
func TestWarmupPrefillOfItsOwn(t *testing.T) {
	m := startMock(t, mockserver.Config{OutputTokens: 2, Seed: 1, TTFT: 200 * time.Millisecond})
	recs := runMock(t, context.Background(), m, chatDataset(6), Config{Concurrency: 3, WarmupCount: 6,
		Schedule: Schedule{Prefill: Prefill{Limit: 3}}, Warmup: WarmupLoad{Prefill: Prefill{Limit: 1}},
		Duration: time.Nanosecond})
	warmup, _ := testkit.ByPhase(recs)
	if len(warmup) != 6 {
		t.Fatalf("%d warmup records, want 6", len(warmup))
	}
	if got := m.Server.MaxInPrefill(); got != 1 {
		t.Errorf("the mock held %d warmup requests before their first token at once, want 1", got)
	}
}

// With --num-warmup-sessions the grace period starts once the last session
// has sent its last turn, not when it starts: one session of 3 turns of
// 0.4 s each runs whole under a 1 s grace (counted from its first turn, its
// third turn would be cancelled at 1 s, 0.2 s before it ends); under a
// 0.1 s grace its last turn is cut, with or without a --warmup-duration
// (whose deadline wraps the session credits).
func TestWarmupSessionGraceWaitsForLaterTurns(t *testing.T) {
	m := startMock(t, mockserver.Config{OutputTokens: 2, Seed: 1, TTFT: 400 * time.Millisecond})
	ds := multiTurnDataset(2, 3)
	for i := range ds.Conversations {
		for k := range ds.Conversations[i].Turns {
			ds.Conversations[i].Turns[k].Delay = 0
		}
	}
	for _, c := range []struct {
		duration, grace time.Duration
		lastCut         bool // the last turn outlasts the grace after its send
	}{
		{0, time.Second, false},
		{time.Hour, time.Second, false}, // a duration wraps the session credits in its deadline
		{0, 100 * time.Millisecond, true},
		{time.Hour, 100 * time.Millisecond, true},
	} {
		recs := runMock(t, context.Background(), m, ds, Config{Concurrency: 1, RequestCount: 1, WarmupSessions: 1, WarmupDuration: c.duration,
			Warmup: WarmupLoad{Grace: c.grace, GraceSet: true}})
		warmup, _ := testkit.ByPhase(recs)
		if len(warmup) != 3 {
			t.Fatalf("%+v: %d warmup records, want the session's 3 turns", c, len(warmup))
		}
		for i, r := range warmup {
			if cut := i == 2 && c.lastCut; r.Valid() == cut {
				t.Errorf("%+v: warmup turn %d valid %v, want %v (%+v)", c, i, r.Valid(), !cut, r.Error)
			}
		}
	}
}
