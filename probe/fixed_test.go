package probe

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// A fixed schedule sends each request at its trace timestamp, never before it
// and late only by what a loaded machine imposes (bench/ has the tight
// numbers), honouring the window and the zero AIPerf uses.
func TestFixedScheduleSendsAtTimestamps(t *testing.T) {
	m := startMock(t, fastMock)
	// A trace that starts at 1000 ms: without auto offset it would wait a second.
	stamps := []time.Duration{ms(1000), ms(1040), ms(1100), ms(1100), ms(1180), ms(1250), ms(1400), ms(1500), ms(1560), ms(1700)}
	for _, tc := range []struct {
		name  string
		sched Schedule
		kept  []time.Duration // timestamps sent
		zero  time.Duration   // the trace time sent at the start
	}{
		{"auto offset", Schedule{FixedAutoOffset: true}, stamps, ms(1000)},
		{"start offset is the zero", Schedule{FixedStartOffset: ms(1180)}, stamps[4:], ms(1180)},
		{"window with auto offset", Schedule{FixedAutoOffset: true, FixedStartOffset: ms(1050), FixedEndOffset: ms(1500)},
			stamps[2:8], ms(1100)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The plan's zero, exactly: the timing checks below cannot tell a
			// wrong zero 50 ms off from a slow start on a loaded machine.
			plan, err := fixedSchedule(chatDataset(len(stamps), stamps...), tc.sched)
			if err != nil || plan.zero != tc.zero || len(plan.items) != len(tc.kept) {
				t.Fatalf("plan zero %v with %d items (%v), want zero %v with %d", plan.zero, len(plan.items), err, tc.zero, len(tc.kept))
			}
			t0 := time.Now()
			recs := runMock(t, context.Background(), m, chatDataset(len(stamps), stamps...),
				Config{FixedSchedule: true, Schedule: tc.sched})
			if len(recs) != len(tc.kept) {
				t.Fatalf("%d requests sent, want %d", len(recs), len(tc.kept))
			}
			var intended []time.Duration
			for _, r := range recs {
				if !r.Valid() {
					t.Fatalf("request failed: %+v", r.Error)
				}
				intended = append(intended, time.Duration(r.IntendedStartNs-t0.UnixNano()))
				// Never early; the late bound is loose because a loaded 2-core CI
				// machine (-race, another package starting Chromium) delayed sends
				// by up to 740 ms. The spacing of the plan is checked exactly below.
				if lag := r.ScheduleLag(); lag < 0 || lag > 2*time.Second {
					t.Errorf("sent %v after its timestamp", lag)
				}
				tr, ok := m.Server.Truth(r.RequestID)
				if d := time.Duration(tr.ArrivalNs - r.IntendedStartNs); !ok || d < 0 || d > 2*time.Second {
					t.Errorf("the server received a request %v after its timestamp (seen %v)", d, ok)
				}
			}
			slices.Sort(intended)
			base := intended[0]
			// The zero is sent at once: Run's start-up is all that separates t0
			// from it (loose for the same reason; the zero itself is checked above).
			if base < 0 || base > time.Second {
				t.Errorf("first request intended %v after the start, want at once (zero %v)", base, tc.zero)
			}
			for i, at := range intended {
				want := tc.kept[i] - tc.zero
				if d := (at - base) - (want - (tc.kept[0] - tc.zero)); d < -time.Microsecond || d > time.Microsecond {
					t.Errorf("request %d intended at +%v, trace says +%v", i, at-base, want)
				}
			}
		})
	}
}

// A schedule nothing survives is an error, not a silent empty run.
func TestFixedScheduleErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sched Schedule
		stamp bool
		want  string
	}{
		{"no timestamps", Schedule{}, false, "no conversation has a timestamp"},
		{"empty window", Schedule{FixedStartOffset: ms(5000)}, true, "none of the 3 timestamps"},
		{"end before start", Schedule{FixedStartOffset: ms(50), FixedEndOffset: ms(10)}, true, "is before --fixed-schedule-start-offset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds := chatDataset(3)
			if tc.stamp {
				ds = chatDataset(3, 0, ms(10), ms(20))
			}
			err := Run(context.Background(), Config{Targets: []Target{{URL: "http://127.0.0.1:1"}}, FixedSchedule: true, Schedule: tc.sched}, ds, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// A trace is sent on its timestamps unless --no-fixed-schedule asks for the
// load settings instead, as AIPerf's --no-fixed-schedule does.
func TestNoFixedScheduleIgnoresTraceTimestamps(t *testing.T) {
	targets := []Target{{URL: "http://127.0.0.1:1"}}
	ds := chatDataset(3, ms(0), ms(10), ms(20))
	if p, err := plan(Config{Targets: targets}, ds); err != nil || p == nil {
		t.Fatalf("a trace without --no-fixed-schedule: plan %v, %v; want its fixed schedule", p, err)
	}
	if p, err := plan(Config{Targets: targets, NoFixedSchedule: true}, ds); err != nil || p != nil {
		t.Fatalf("with --no-fixed-schedule: plan %v, %v; want none", p, err)
	}
}
