package inputs

import (
	"math"
	"sort"
)

// reflowIdleGaps shortens every gap between timestamps (walked in time order,
// ties in row order) to at most capMS, keeping the earliest, as AIPerf's
// reflow_idle_gaps (whole milliseconds).
func reflowIdleGaps(rows []basetenRow, capMS float64) {
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
		rows[i].ts = math.Trunc(rows[i].ts)
	}
	sort.SliceStable(order, func(i, j int) bool { return rows[order[i]].ts < rows[order[j]].ts })
	limit := math.Trunc(capMS)
	prevOld, prevNew := rows[order[0]].ts, rows[order[0]].ts
	for _, i := range order[1:] {
		gap := rows[i].ts - prevOld
		prevOld = rows[i].ts
		prevNew += min(gap, limit)
		rows[i].ts = prevNew
	}
}

// closedLoop turns every later turn of a session into a delay after the turn
// before ends: the recorded start-to-start gap less that turn's recorded
// duration (never below 0), as AIPerf's back-pressure.
func closedLoop(sessions [][]*basetenRow) {
	for _, s := range sessions {
		prevTS, prevE2E := math.Trunc(s[0].ts), s[0].e2e
		for _, r := range s[1:] {
			ts := math.Trunc(r.ts)
			d := max(0, max(0, ts-prevTS)-prevE2E)
			r.delay, r.timed = &d, false
			prevTS, prevE2E = ts, r.e2e
		}
	}
}
