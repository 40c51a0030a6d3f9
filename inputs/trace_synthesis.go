package inputs

import (
	"fmt"
	"math"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// mooncakeRow is one decoded mooncake_trace line.
type mooncakeRow struct {
	l  line
	ml mooncakeLine
}

// filterMooncake applies --synthesis-max-isl and --synthesis-max-osl as AIPerf's
// trace loader does before any synthesis: a line whose input_length is above
// max-isl is skipped, an output_length above max-osl is capped.
func (b *builder) filterMooncake(rows []mooncakeRow) ([]mooncakeRow, error) {
	maxISL, maxOSL := b.o.SynthesisMaxISL, b.o.SynthesisMaxOSL
	kept := rows[:0]
	for _, r := range rows {
		if maxISL > 0 && r.ml.InputLength != nil && *r.ml.InputLength > maxISL {
			continue
		}
		if maxOSL > 0 && r.ml.OutputLength != nil && *r.ml.OutputLength > maxOSL {
			r.ml.OutputLength = &maxOSL
		}
		kept = append(kept, r)
	}
	if len(kept) == 0 {
		return nil, &options.Error{Flag: "synthesis-max-isl", Msg: fmt.Sprintf("every line of %s has a longer input_length than %d", rows[0].l.file, maxISL)}
	}
	return kept, nil
}

// synthesize reshapes a mooncake trace in place as AIPerf's synthesizer does,
// visiting the lines in order (sessions grouped, as AIPerf groups them):
//   - a hash id seen more than once in the trace is shared; the shared ids a
//     line starts with are its prefix, the rest of its input_length its prompt;
//   - --synthesis-prefix-len-multiplier stretches the prefix (each shared id h
//     becomes ids h*m .. h*m+m-1 for the whole part m, new ids for the fraction,
//     up to ceil(blocks*mult)) or keeps its first max(1, int(blocks*mult)) blocks;
//   - --synthesis-prompt-len-multiplier scales the prompt's tokens, which get
//     new ids of their own;
//   - --synthesis-prefix-root-multiplier shifts each line's ids into one of
//     that many disjoint id ranges, drawn at random;
//   - --synthesis-speedup-ratio divides timestamps; delays are kept;
//   - --synthesis-output-len-multiplier scales output_length (rounded half to
//     even, as Python), then --synthesis-max-osl caps it.
//
// Lines without hash_ids keep their input_length; text_input lines keep their text.
func (b *builder) synthesize(rows []mooncakeRow, order []int) error {
	o := b.o
	count := map[int]int{}
	for _, r := range rows {
		for _, h := range r.ml.HashIDs {
			count[h]++
		}
	}
	maxShared := 0
	for h, n := range count {
		if n > 1 && h > maxShared {
			maxShared = h
		}
	}
	mult := 1
	if o.SynthesisPrefixLenMultiplier > 1 {
		mult = int(o.SynthesisPrefixLenMultiplier)
	}
	// Stretched and shifted ids must not overflow (nor wrap onto each other).
	roots := o.SynthesisPrefixRootMultiplier
	if limit := math.MaxInt64 / 4 / int64(mult) / int64(roots); int64(maxShared) > limit || int64(minID(rows)) < -limit {
		return fmt.Errorf("%s: hash_ids beyond ±%d cannot be synthesized with these multipliers", rows[0].l.file, limit)
	}
	next := (maxShared+1)*mult + 1 // the next id no line uses
	for _, i := range order {
		r := &rows[i]
		if err := b.synthesizeLine(r, count, mult, &next); err != nil {
			return r.l.errorf("%v", err)
		}
	}
	if roots > 1 {
		span := next // every id so far is below it
		for _, i := range order {
			ids := rows[i].ml.HashIDs
			if len(ids) == 0 {
				continue
			}
			shift := b.rng.Intn(roots) * span
			for j := range ids {
				ids[j] += shift
			}
		}
	}
	return nil
}

// synthesizeLine reshapes one line; next is the next unused hash id.
func (b *builder) synthesizeLine(r *mooncakeRow, count map[int]int, mult int, next *int) error {
	bs := b.blockSize()
	o := b.o
	ml := &r.ml
	if ml.Timestamp != nil && o.SynthesisSpeedupRatio > 0 {
		ts := math.Trunc(*ml.Timestamp / o.SynthesisSpeedupRatio) // AIPerf: int(ts / ratio)
		ml.Timestamp = &ts
	}
	if ml.OutputLength != nil && o.SynthesisOutputLenMultiplier != 1 {
		n := math.RoundToEven(float64(*ml.OutputLength) * o.SynthesisOutputLenMultiplier)
		if n > maxInputLength {
			return fmt.Errorf("--synthesis-output-len-multiplier makes output_length %g, above %d", n, maxInputLength)
		}
		out := max(1, int(n)) // a request must still ask for a token
		if o.SynthesisMaxOSL > 0 {
			out = min(out, o.SynthesisMaxOSL)
		}
		ml.OutputLength = &out
	}
	if len(ml.HashIDs) == 0 || ml.InputLength == nil {
		return nil
	}
	prefix := 0 // leading shared ids
	for prefix < len(ml.HashIDs) && count[ml.HashIDs[prefix]] > 1 {
		prefix++
	}
	promptLen := *ml.InputLength - prefix*bs
	if promptLen < 0 {
		return fmt.Errorf("input_length %d is shorter than its %d shared prefix blocks of %d tokens", *ml.InputLength, prefix, bs)
	}
	prefixMult, promptMult := o.SynthesisPrefixLenMultiplier, o.SynthesisPromptLenMultiplier
	newPrompt := math.Trunc(float64(promptLen) * promptMult)
	if total := float64(prefix)*max(prefixMult, 1)*float64(bs) + newPrompt; total > maxInputLength {
		return fmt.Errorf("synthesis makes input_length %g, above %d", total, maxInputLength)
	}
	var prefixBlocks int
	switch {
	case prefixMult > 1:
		prefixBlocks = int(math.Ceil(float64(prefix) * prefixMult))
	case prefixMult < 1 && prefix > 0:
		prefixBlocks = max(1, int(float64(prefix)*prefixMult))
	default:
		prefixBlocks = prefix
	}
	promptTokens := int(newPrompt)
	ids := make([]int, 0, prefixBlocks+(promptTokens+bs-1)/bs)
	switch {
	case prefixMult > 1:
		for _, h := range ml.HashIDs[:prefix] {
			for j := range mult {
				ids = append(ids, h*mult+j)
			}
		}
		for len(ids) < prefixBlocks {
			ids = append(ids, *next)
			*next++
		}
	default:
		ids = append(ids, ml.HashIDs[:prefixBlocks]...)
	}
	for range (promptTokens + bs - 1) / bs {
		ids = append(ids, *next)
		*next++
	}
	if len(ids) == 0 { // nothing left to hash: AIPerf keeps the line's own length
		ml.HashIDs = nil
		return nil
	}
	n := prefixBlocks*bs + promptTokens
	if limit := o.SynthesisMaxISL; limit > 0 && n > limit {
		n = limit
		ids = ids[:(n+bs-1)/bs] // the blocks must still fit the prompt
	}
	ml.HashIDs, ml.InputLength = ids, &n
	return nil
}

// minID is the smallest hash id of the trace (0 when none is negative).
func minID(rows []mooncakeRow) int {
	low := 0
	for _, r := range rows {
		for _, h := range r.ml.HashIDs {
			low = min(low, h)
		}
	}
	return low
}
