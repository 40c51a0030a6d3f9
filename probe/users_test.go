package probe

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// AIPerf's own example (user_centric_rate.py): 15 users, 20 turns, 1 QPS.
// User 1 is virtually done; users 2…15 have the turns and start seconds of
// its table; a fresh user 16 with all turns starts at 0.
func TestInitialUsersAIPerfExample(t *testing.T) {
	want := []startUser{ // users 2…15 as (turns, start second), then user 16
		{2, 4}, {3, 8}, {4, 12}, {6, 1}, {7, 5}, {8, 9}, {9, 13},
		{11, 2}, {12, 6}, {13, 10}, {14, 14}, {16, 3}, {17, 7}, {18, 11}, {0, 0},
	}
	if got := initialUsers(15, 20); !slices.Equal(got, want) {
		t.Errorf("initialUsers(15, 20) =\n%v, want\n%v", got, want)
	}
}

// Every initial user starts at an order of its own, also when the user count
// and the session's lifetime share a factor (AIPerf's alternate spacing).
func TestInitialUsersDistinctOrders(t *testing.T) {
	for n := 1; n <= 16; n++ {
		for turns := 1; turns <= 16; turns++ {
			seen := map[int]bool{}
			for _, u := range initialUsers(n, turns) {
				if seen[u.order] || u.order < 0 || u.order > n {
					t.Fatalf("n=%d turns=%d: order %d twice or out of range: %v", n, turns, u.order, initialUsers(n, turns))
				}
				seen[u.order] = true
			}
		}
	}
}

// multiTurnDataset is n streamed chat conversations of turns turns each.
func multiTurnDataset(n, turns int) *inputs.Dataset {
	ds := &inputs.Dataset{}
	for i := 0; i < n; i++ {
		c := inputs.Conversation{ID: fmt.Sprintf("c%d", i)}
		for k := 0; k < turns; k++ {
			body := fmt.Sprintf(`{"model":"m","messages":[{"role":"user","content":"conversation %d turn %d"}],"stream":true}`, i, k)
			c.Turns = append(c.Turns, inputs.Turn{Body: inputs.Body{[]byte(body)}, ContentType: inputs.ContentTypeJSON, Model: "m", InputTokens: 4,
				Delay: 5 * time.Second}) // the gap, not the dataset's delay, spaces a user's turns
		}
		ds.Conversations = append(ds.Conversations, c)
	}
	return ds
}

// A user-centric run against the mock: each user's turns are planned the
// gap num_users/rate apart (more when a turn ended late, never less) and never
// overlap; all users together plan the rate, counted from the plan.
func TestUsersAgainstMock(t *testing.T) {
	const rate, users, turns = 40.0, 4, 3
	gap := time.Duration(float64(time.Second) * users / rate) // 100 ms
	m := startMock(t, fastMock)
	n := 60
	recs := runMock(t, context.Background(), m, multiTurnDataset(8, turns), Config{RequestCount: n, Seed: 1,
		Schedule: Schedule{Users: Users{Rate: rate, Count: users}}})
	if len(recs) != n {
		t.Fatalf("%d records, want %d", len(recs), n)
	}
	bySession := map[int][]*record.Record{}
	t0 := recs[0].IntendedStartNs
	for _, r := range recs {
		bySession[r.SessionNum] = append(bySession[r.SessionNum], r)
		t0 = min(t0, r.IntendedStartNs)
	}
	for s, rs := range bySession {
		slices.SortFunc(rs, func(a, b *record.Record) int { return a.TurnIndex - b.TurnIndex })
		for i := 1; i < len(rs); i++ {
			if rs[i].TurnIndex != rs[i-1].TurnIndex+1 {
				t.Fatalf("session %d: turns %d then %d", s, rs[i-1].TurnIndex, rs[i].TurnIndex)
			}
			if d := time.Duration(rs[i].IntendedStartNs - rs[i-1].IntendedStartNs); d < gap {
				t.Errorf("session %d: turn %d planned %v after the last, want at least the gap %v", s, rs[i].TurnIndex, d, gap)
			}
			if ended := rs[i-1].StartNs + int64(rs[i-1].EndOffset); rs[i].StartNs < ended {
				t.Errorf("session %d: turn %d sent before turn %d ended", s, rs[i].TurnIndex, rs[i-1].TurnIndex)
			}
		}
	}
	planned := 0 // in the first second: 40 at the rate (within 3: the plan realigns late turns)
	for _, r := range recs {
		if r.IntendedStartNs-t0 < int64(time.Second) {
			planned++
		}
	}
	if math.Abs(float64(planned)-rate) > 3 {
		t.Errorf("%d requests planned in the first second, want %g", planned, rate)
	}
}
