package inputs

import (
	"encoding/json"
	"fmt"
	"math"
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
	rows, err := readBaseten(path, maxInputFileBytes)
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
	return b.basetenDataset(sessions)
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

// basetenDataset builds the conversations, one per session.
// Two rows far apart are refused before their gap becomes a Duration.
func (b *builder) basetenDataset(sessions [][]*basetenRow) (*Dataset, error) {
	d := &Dataset{FixedSchedule: true}
	for _, s := range sessions {
		c := Conversation{ID: sessionID(b.rng)}
		for _, r := range s {
			ts := turnSpec{msg: message{Role: "user", Texts: []string{r.prompt}}, maxTokens: r.output, extra: b.basetenBody(r)}
			from := fmt.Sprintf("%s: row %d", b.o.InputFile, r.no)
			if r.timed {
				at, err := toDuration("the time since the first row", r.ts, time.Millisecond)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", from, err)
				}
				ts.timestamp, ts.from = &at, from
			} else {
				delay, err := toDuration("the wait after the row before", *r.delay, time.Millisecond)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", from, err)
				}
				ts.delay = delay
			}
			c.Turns = append(c.Turns, b.turn(ts))
		}
		d.Conversations = append(d.Conversations, c)
	}
	return d, nil
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
