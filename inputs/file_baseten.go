package inputs

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// baseten makes a dataset from a baseten Parquet trace as AIPerf's
// BasetenTraceDatasetLoader does: rows grouped into sessions by the session
// column that repeats most (provided_session_id, else poor_man_session_id; a
// row without one is a session of its own), timestamps from the first row,
// each prompt sent as recorded with max tokens = output_tokens (at least 1)
// and, in the body, min_tokens and the KV hints hash_ids and block_size.
func (b *builder) baseten(path string) (*Dataset, error) {
	o := b.o
	if f := o.ReshapeFlag(); f != "" {
		return nil, &options.Error{Flag: f, Msg: "does not apply to baseten_trace, whose prompts are sent as recorded (--replay-speedup speeds up its time)"}
	}
	if err := b.basetenExtraCollisions(); err != nil {
		return nil, err
	}
	rows, err := readBaseten(path)
	if err != nil {
		return nil, err
	}
	key := basetenSessionKey(rows)
	first := rows[0].ts
	for _, r := range rows {
		first = min(first, r.ts)
	}
	rows = b.sampleBaseten(rows, key)
	speedup := o.ReplaySpeedup
	if speedup == 0 {
		speedup = 1
	}
	kept := rows[:0]
	for _, r := range rows {
		if o.SynthesisMaxISL > 0 && r.input > o.SynthesisMaxISL {
			continue
		}
		r.ts = (r.ts - first) / speedup
		r.e2e /= speedup // recorded durations shrink with the time they sit in
		r.timed = true
		r.output = max(1, r.output) // canceled requests record 0
		if o.SynthesisMaxOSL > 0 {  // capped as read, and again after synthesis, as AIPerf
			r.output = min(r.output, o.SynthesisMaxOSL)
		}
		if m := o.SynthesisOutputLenMultiplier; m != 1 {
			r.output = max(1, int(min(math.RoundToEven(float64(r.output)*m), maxInputLength)))
			if o.SynthesisMaxOSL > 0 {
				r.output = min(r.output, o.SynthesisMaxOSL)
			}
		}
		kept = append(kept, r)
	}
	if len(kept) == 0 {
		return nil, &options.Error{Flag: "synthesis-max-isl", Msg: fmt.Sprintf("every row of %s has more input_tokens than %d", path, o.SynthesisMaxISL)}
	}
	open := !o.NoOpenLoopReplay
	if open && o.MaxIdleGapCap > 0 {
		reflowIdleGaps(kept, o.MaxIdleGapCap*1000)
	}
	sessions := b.groupBaseten(kept, key)
	switch {
	case open && o.OpenLoopStrict:
		var one [][]*basetenRow
		for _, s := range sessions {
			for _, r := range s {
				one = append(one, []*basetenRow{r})
			}
		}
		sessions = one
	case !open:
		closedLoop(sessions)
		if o.MaxIdleGapCap > 0 {
			var starts []basetenRow
			for _, s := range sessions {
				starts = append(starts, *s[0])
			}
			reflowIdleGaps(starts, o.MaxIdleGapCap*1000)
			for i, s := range sessions {
				s[0].ts = starts[i].ts
			}
		}
	}
	return b.basetenDataset(sessions), nil
}

// basetenExtraCollisions refuses --extra-inputs keys each request of the trace
// sets itself (AIPerf: the user's value would be overwritten on the wire).
func (b *builder) basetenExtraCollisions() error {
	for _, f := range b.extra {
		switch {
		case f.Key == "min_tokens" && !b.o.NoForceMinTokens:
			return &options.Error{Flag: "extra-inputs", Msg: "min_tokens is set per request by the baseten trace; pass --no-force-min-tokens to send yours"}
		case (f.Key == "hash_ids" || f.Key == "block_size") && !b.o.OmitKVHints:
			return &options.Error{Flag: "extra-inputs", Msg: f.Key + " is set per request by the baseten trace; pass --omit-kv-hints to send yours"}
		}
	}
	return nil
}

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

// basetenDataset builds the conversations, one per session.
func (b *builder) basetenDataset(sessions [][]*basetenRow) *Dataset {
	d := &Dataset{FixedSchedule: true}
	for _, s := range sessions {
		c := Conversation{ID: sessionID(b.rng)}
		for _, r := range s {
			ts := turnSpec{msg: message{Role: "user", Texts: []string{r.prompt}}, maxTokens: r.output, extra: b.basetenBody(r)}
			if r.timed {
				at := time.Duration(r.ts * float64(time.Millisecond))
				ts.timestamp = &at
			} else {
				ts.delay = time.Duration(*r.delay * float64(time.Millisecond))
			}
			c.Turns = append(c.Turns, b.turn(ts))
		}
		d.Conversations = append(d.Conversations, c)
	}
	return d
}

// basetenBody is what a row adds to its request body.
func (b *builder) basetenBody(r *basetenRow) []field {
	var out []field
	if !b.o.NoForceMinTokens {
		out = append(out, field{Key: "min_tokens", Value: json.RawMessage(strconv.Itoa(r.output))})
	}
	if !b.o.OmitKVHints {
		if len(r.hashes) > 0 {
			out = append(out, field{Key: "hash_ids", Value: json.RawMessage("[" + strings.Join(r.hashes, ",") + "]")})
		}
		if r.blockSize > 0 {
			out = append(out, field{Key: "block_size", Value: json.RawMessage(strconv.Itoa(r.blockSize))})
		}
	}
	return out
}
