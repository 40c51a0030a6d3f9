package inputs

import (
	"fmt"
	"math"
	"math/rand"
	"time"

	"github.com/aiperf-exporter/aiperf-exporter/options"
)

// Bounds of synthetic multi-turn conversations: every later turn resends the
// earlier ones, so the text held grows with the square of the turn count.
const (
	// maxTurns caps one conversation's drawn turn count.
	maxTurns = 10000
	// maxHistoryTextBytes bounds the prompt text of all bodies of a synthetic
	// dataset together, history included (4 GiB, as synthetic audio).
	maxHistoryTextBytes = 4 << 30
	// maxDelayMs is the longest turn delay a Duration holds with room (a century).
	maxDelayMs = float64(100*365*24*time.Hour) / float64(time.Millisecond)
)

// turnCount draws a synthetic conversation's turn count as AIPerf does: a
// positive normal integer of the whole-number mean and stddev.
func (b *builder) turnCount() int {
	return min(maxTurns, positiveNormalInt(b.rng, math.Trunc(b.o.ConversationTurnMean), math.Trunc(b.o.ConversationTurnStddev)))
}

// turnDelay draws the delay before a later turn as AIPerf does: a positive
// normal integer (ms) of the whole-number mean and stddev, times the ratio;
// no delay (and no draw) when the mean is 0.
func (b *builder) turnDelay() (time.Duration, error) {
	o := b.o
	if o.ConversationTurnDelayMean <= 0 {
		return 0, nil
	}
	ms := float64(positiveNormalInt(b.rng, math.Trunc(o.ConversationTurnDelayMean), math.Trunc(o.ConversationTurnDelayStddev))) * o.ConversationTurnDelayRatio
	if ms > maxDelayMs {
		return 0, &options.Error{Flag: "conversation-turn-delay-ratio", Msg: fmt.Sprintf("a turn delay of %g ms is longer than a century", ms)}
	}
	return time.Duration(ms * float64(time.Millisecond)), nil
}

// positiveNormalInt is AIPerf's sample_positive_normal_integer: with no
// stddev, the mean rounded (at least 1); else the ceiling of a normal draw
// redrawn while negative, at least 1.
func positiveNormalInt(rng *rand.Rand, mean, stddev float64) int {
	if stddev <= 0 {
		return clampInt(math.RoundToEven(mean))
	}
	for range 10000 { // AIPerf's bound; with mean >= 0 a draw is >= 0 half the time
		if x := rng.NormFloat64()*stddev + mean; x >= 0 {
			return clampInt(math.Ceil(x))
		}
	}
	return clampInt(mean)
}

// clampInt converts x to an int of at least 1 and at most math.MaxInt32.
func clampInt(x float64) int {
	return int(max(1, min(x, math.MaxInt32)))
}

// checkHistorySize refuses, before anything is built, a synthetic dataset whose
// prompt text (each turn resending the earlier ones) would pass the bound at
// the mean turn count and length, counting a token as 4 bytes. A single-turn
// dataset is held to it too: many entries of long prompts would
// otherwise run out of memory before the count made while building stops it.
func checkHistorySize(o *options.Options) error {
	turns := max(math.Trunc(o.ConversationTurnMean), 1)
	perTurn := float64(o.InputTokensMean) * 4
	total := float64(o.NumDatasetEntries) * turns * (turns + 1) / 2 * perTurn
	switch {
	case total <= maxHistoryTextBytes:
		return nil
	case turns == 1:
		return &options.Error{Flag: "num-dataset-entries", Msg: fmt.Sprintf(
			"the prompts would hold about %.1f GiB of text, above the limit of %d GiB: lower --num-dataset-entries or --synthetic-input-tokens-mean",
			total/(1<<30), maxHistoryTextBytes>>30)}
	}
	return historyTooBig(total)
}

func historyTooBig(bytes float64) error {
	return &options.Error{Flag: "conversation-turn-mean", Msg: fmt.Sprintf(
		"the conversations would hold about %.1f GiB of prompt text (each turn resends the earlier ones), above the limit of %d GiB: lower --conversation-turn-mean, --num-dataset-entries or --synthetic-input-tokens-mean",
		bytes/(1<<30), maxHistoryTextBytes>>30)}
}

// textBytes is the length of every text of msgs.
func textBytes(msgs ...message) int {
	n := 0
	for _, m := range msgs {
		for _, t := range m.Texts {
			n += len(t)
		}
	}
	return n
}
