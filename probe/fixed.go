package probe

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/inputs"
)

// fixedPlan is a trace replay: conversations whose first turn carries a
// timestamp, in timestamp order, inside the configured window.
type fixedPlan struct {
	items []fixedItem
	zero  time.Duration // the trace time sent at the start
	start time.Time     // wall time of the zero, set when sending begins
}

type fixedItem struct {
	conv *inputs.Conversation
	at   time.Duration // trace timestamp
}

// fixedSchedule plans the replay like AIPerf: timestamps outside
// [FixedStartOffset, FixedEndOffset] are skipped (an end of 0 means none); the
// zero is the first kept timestamp with auto offset, else the start offset.
func fixedSchedule(ds *inputs.Dataset, s Schedule) (*fixedPlan, error) {
	if s.FixedEndOffset > 0 && s.FixedEndOffset < s.FixedStartOffset {
		return nil, fmt.Errorf("fixed schedule: --fixed-schedule-end-offset %v is before --fixed-schedule-start-offset %v", s.FixedEndOffset, s.FixedStartOffset)
	}
	p := &fixedPlan{zero: s.FixedStartOffset}
	stamped := 0
	for i := range ds.Conversations {
		c := &ds.Conversations[i]
		if len(c.Turns) == 0 || !c.Turns[0].HasTimestamp {
			continue
		}
		stamped++
		ts := c.Turns[0].Timestamp
		if ts < s.FixedStartOffset || (s.FixedEndOffset > 0 && ts > s.FixedEndOffset) {
			continue
		}
		p.items = append(p.items, fixedItem{c, ts})
	}
	switch {
	case stamped == 0:
		return nil, errors.New("fixed schedule: no conversation has a timestamp (--fixed-schedule needs an input file with \"timestamp\")")
	case len(p.items) == 0:
		return nil, fmt.Errorf("fixed schedule: none of the %d timestamps lies within --fixed-schedule-start-offset/--fixed-schedule-end-offset", stamped)
	}
	sort.SliceStable(p.items, func(i, j int) bool { return p.items[i].at < p.items[j].at })
	if s.FixedAutoOffset {
		p.zero = p.items[0].at
	}
	return p, nil
}

// when is the wall time trace timestamp ts is due.
func (p *fixedPlan) when(ts time.Duration) time.Time { return p.start.Add(ts - p.zero) }

// turnAt is when a later turn with its own timestamp is due; false when the
// turn has none or no replay is running.
func (p *fixedPlan) turnAt(t *inputs.Turn) (time.Time, bool) {
	if p == nil || p.start.IsZero() || !t.HasTimestamp {
		return time.Time{}, false
	}
	return p.when(t.Timestamp), true
}
