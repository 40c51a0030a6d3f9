package inputs

import (
	"math"
	"sort"
)

// basetenSessionKey picks the session column as AIPerf does: the one whose
// repeated ids cover more rows (then more sessions); provided_session_id on a
// tie; "" when neither repeats (every row its own session).
func basetenSessionKey(rows []basetenRow) string {
	score := func(id func(basetenRow) string) [2]int {
		n := map[string]int{}
		for _, r := range rows {
			if v := id(r); v != "" {
				n[v]++
			}
		}
		var s [2]int
		for _, c := range n {
			if c > 1 {
				s[0] += c
				s[1]++
			}
		}
		return s
	}
	provided := score(func(r basetenRow) string { return r.provided })
	poor := score(func(r basetenRow) string { return r.poor })
	switch {
	case provided[0] == 0 && poor[0] == 0:
		return ""
	case poor[0] > provided[0] || poor[0] == provided[0] && poor[1] > provided[1]:
		return "poor_man_session_id"
	}
	return "provided_session_id"
}

// sessionOf is the row's id in the session column key ("" = none).
func (r *basetenRow) sessionOf(key string) string {
	switch key {
	case "provided_session_id":
		return r.provided
	case "poor_man_session_id":
		return r.poor
	}
	return ""
}

// sampleBaseten keeps each session with probability --trace-session-sample-ratio,
// sessions visited by first timestamp then id, then each row without a session
// in file order (at least one session stays), as AIPerf samples.
func (b *builder) sampleBaseten(rows []basetenRow, key string) []basetenRow {
	ratio := b.o.TraceSessionSampleRatio
	if ratio == 0 || ratio >= 1 || key == "" {
		return rows // AIPerf, too, cannot sample rows that form no sessions
	}
	firstTS := map[string]float64{}
	var ids []string
	for _, r := range rows {
		id := r.sessionOf(key)
		if id == "" {
			continue
		}
		if ts, ok := firstTS[id]; !ok {
			firstTS[id] = r.ts
			ids = append(ids, id)
		} else {
			firstTS[id] = min(ts, r.ts)
		}
	}
	sort.SliceStable(ids, func(i, j int) bool {
		if firstTS[ids[i]] != firstTS[ids[j]] {
			return firstTS[ids[i]] < firstTS[ids[j]]
		}
		return ids[i] < ids[j]
	})
	keep := map[string]bool{}
	for _, id := range ids {
		if b.rng.Float64() < ratio {
			keep[id] = true
		}
	}
	if len(keep) == 0 && len(ids) > 0 {
		keep[ids[b.rng.Intn(len(ids))]] = true
	}
	out := rows[:0]
	for _, r := range rows {
		id := r.sessionOf(key)
		if id == "" && b.rng.Float64() < ratio || keep[id] {
			out = append(out, r)
		}
	}
	return out
}

// groupBaseten groups rows into sessions (turns by timestamp), sessions by
// first timestamp then id.
func (b *builder) groupBaseten(rows []basetenRow, key string) [][]*basetenRow {
	index := map[string]int{}
	var ids []string
	var sessions [][]*basetenRow
	for i := range rows {
		r := &rows[i]
		id := r.sessionOf(key)
		s, ok := index[id]
		if id == "" || !ok {
			if id == "" {
				id = sessionID(b.rng)
			}
			s = len(sessions)
			index[id] = s
			ids = append(ids, id)
			sessions = append(sessions, nil)
		}
		sessions[s] = append(sessions[s], r)
	}
	for _, s := range sessions {
		sort.SliceStable(s, func(i, j int) bool { return math.Trunc(s[i].ts) < math.Trunc(s[j].ts) })
	}
	order := make([]int, len(sessions))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, c := math.Trunc(sessions[order[i]][0].ts), math.Trunc(sessions[order[j]][0].ts)
		if a != c {
			return a < c
		}
		return ids[order[i]] < ids[order[j]]
	})
	out := make([][]*basetenRow, len(sessions))
	for i, s := range order {
		out[i] = sessions[s]
	}
	return out
}
