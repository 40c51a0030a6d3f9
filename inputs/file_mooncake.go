package inputs

import (
	"errors"
	"fmt"
	"strings"
)

// maxInputLength bounds a trace line's input_length (a typo must not build a
// gigabyte prompt).
const maxInputLength = 1 << 20

// mooncake makes a dataset from a mooncake trace: lines sharing a session_id
// are the turns of one conversation (in file order, without resending history:
// input_length already covers the whole prompt); other lines are one turn each.
// A prompt is text_input, or input_length synthetic tokens built from one
// cached corpus block per hash id.
// --synthesis-max-isl/-osl filter and cap lines first, then the other
// --synthesis-* settings reshape them (trace_synthesis.go).
func (b *builder) mooncake(lines []line) (*Dataset, error) {
	rows := make([]mooncakeRow, len(lines))
	for i, l := range lines {
		rows[i].l = l
		if err := b.decodeLine(l, &rows[i].ml); err != nil {
			return nil, err
		}
	}
	return b.traceRows(rows)
}

// traceRows makes a dataset from trace rows in mooncake_trace's shape (other
// trace formats are converted to it first).
func (b *builder) traceRows(rows []mooncakeRow) (*Dataset, error) {
	rows, err := b.filterMooncake(rows)
	if err != nil {
		return nil, err
	}
	if b.o.Synthesizes() {
		if err := b.synthesize(rows, sessionOrder(rows)); err != nil {
			return nil, err
		}
	}
	d := &Dataset{}
	var sessions sessionGroups
	blocks := map[[2]int]string{}
	for _, r := range rows {
		l, ml := r.l, r.ml
		text, err := b.mooncakeText(ml, blocks)
		if err != nil {
			return nil, l.errorf("%v", err)
		}
		ts := turnSpec{msg: message{Role: "user", Texts: []string{text}}, from: l.where()}
		if ts.maxTokens, err = b.outputLength(ml.OutputLength); err != nil {
			return nil, l.errorf("%v", err)
		}
		if ts.delay, ts.timestamp, err = timing(ml.Timestamp, ml.Delay); err != nil {
			return nil, l.errorf("%v", err)
		}
		i := sessions.conversation(b, d, ml.SessionID, l)
		d.Conversations[i].Turns = append(d.Conversations[i].Turns, b.turn(ts))
	}
	return d, fixedSchedule(d, sessions.first)
}

// sessionOrder lists the rows session by session (in order of first
// appearance, a line without session_id a session of its own), turns in order.
func sessionOrder(rows []mooncakeRow) []int {
	var sessions [][]int
	index := map[string]int{}
	for i, r := range rows {
		s, ok := index[r.ml.SessionID]
		if !ok || r.ml.SessionID == "" {
			s = len(sessions)
			sessions = append(sessions, nil)
			if r.ml.SessionID != "" {
				index[r.ml.SessionID] = s
			}
		}
		sessions[s] = append(sessions[s], i)
	}
	order := make([]int, 0, len(rows))
	for _, s := range sessions {
		order = append(order, s...)
	}
	return order
}

// mooncakeText is the prompt of one trace line.
func (b *builder) mooncakeText(ml mooncakeLine, blocks map[[2]int]string) (string, error) {
	switch {
	case ml.TextInput != nil && ml.InputLength != nil:
		return "", errors.New("text_input and input_length cannot both be set")
	case ml.TextInput != nil:
		if strings.TrimSpace(*ml.TextInput) == "" {
			return "", errors.New("text_input is empty")
		}
		return *ml.TextInput, nil
	case ml.InputLength == nil:
		return "", errors.New("input_length or text_input is required")
	}
	n := *ml.InputLength
	if n < 1 || n > maxInputLength {
		return "", fmt.Errorf("input_length must be between 1 and %d, got %d", maxInputLength, n)
	}
	if len(ml.HashIDs) == 0 {
		return b.text.prompt(b.rng, n), nil
	}
	size := b.blockSize()
	if last := n - size*(len(ml.HashIDs)-1); last < 1 || last > size {
		return "", fmt.Errorf("input_length %d does not fit %d hash_ids of %d tokens (--synthetic-input-tokens-block-size)", n, len(ml.HashIDs), size)
	}
	return b.hashPrompt(n, ml.HashIDs, size, blocks), nil // every block full but the last, which ends at n
}

// blockSize is the tokens per trace hash id: --synthetic-input-tokens-block-size
// (512, the mooncake default, when unset, as for a zero Options in tests), or
// the trace format's own (traceBlock) while the flag is left at 512.
func (b *builder) blockSize() int {
	switch {
	case b.traceBlock > 0 && (b.o.InputTokensBlockSize == 0 || b.o.InputTokensBlockSize == 512):
		return b.traceBlock // the trace format's own, as AIPerf's plugin default
	case b.o.InputTokensBlockSize > 0:
		return b.o.InputTokensBlockSize
	}
	return 512
}
