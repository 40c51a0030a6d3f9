package inputs

import (
	"reflect"
	"testing"
	"time"
)

func delays(d *Dataset) [][]time.Duration {
	var out [][]time.Duration
	for _, c := range d.Conversations {
		var ds []time.Duration
		for _, tr := range c.Turns {
			ds = append(ds, tr.Delay)
		}
		out = append(out, ds)
	}
	return out
}

// --inter-turn-delay-cap-seconds shortens every delay a file records to the
// cap, as AIPerf's DelayCapTracker.clamp in each loader's turn building
// (multi_turn / single_turn, mooncake_trace, baseten closed-loop think times);
// shorter delays and timestamps are left as recorded. The fixtures follow
// AIPerf's multi_turn and mooncake_trace loaders' line formats (delays in ms).
func TestInterTurnDelayCap(t *testing.T) {
	const ms = time.Millisecond
	tests := []struct {
		name, file, kind string
		flags            []string
		want             [][]time.Duration
	}{
		{"multi_turn uncapped", "testdata/delay_cap/multi_turn.jsonl", "multi_turn", nil,
			[][]time.Duration{{0, 600000 * ms, 250 * ms, 2000 * ms}}},
		{"multi_turn capped at 2 s", "testdata/delay_cap/multi_turn.jsonl", "multi_turn", []string{"--inter-turn-delay-cap-seconds", "2"},
			[][]time.Duration{{0, 2000 * ms, 250 * ms, 2000 * ms}}},
		{"multi_turn capped at 0.1 s", "testdata/delay_cap/multi_turn.jsonl", "multi_turn", []string{"--inter-turn-delay-cap-seconds", "0.1"},
			[][]time.Duration{{0, 100 * ms, 100 * ms, 100 * ms}}},
		{"single_turn capped", "testdata/single_turn.jsonl", "single_turn", []string{"--inter-turn-delay-cap-seconds", "0.2"},
			[][]time.Duration{{0}, {0}, {0}, {200 * ms}}},
		{"mooncake delays capped", "testdata/delay_cap/mooncake_trace.jsonl", "mooncake_trace", []string{"--inter-turn-delay-cap-seconds", "1"},
			[][]time.Duration{{0, 1000 * ms, 1000 * ms}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := loadArgs(t, tc.file, tc.kind, tc.flags...)
			if got := delays(d); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("delays %v, want %v", got, tc.want)
			}
		})
	}
}

// In closed-loop baseten replay the think time (recorded gap less the turn
// before's duration, 1.5 s in the fixture) is capped; open-loop timestamps are not.
func TestInterTurnDelayCapBaseten(t *testing.T) {
	const ms = time.Millisecond
	p := basetenTrace(t)
	closed := basetenView(t, loadArgs(t, p, "", "--no-open-loop-replay", "--inter-turn-delay-cap-seconds", "0.5"))
	if got := closed[0][1].At; got != -500*ms {
		t.Fatalf("closed loop: second turn %v, want a 500ms delay", got)
	}
	open := basetenView(t, loadArgs(t, p, "", "--inter-turn-delay-cap-seconds", "0.5"))
	if got := open[0][1].At; got != 2000*ms {
		t.Fatalf("open loop: second turn at %v, want its recorded 2s timestamp", got)
	}
}
