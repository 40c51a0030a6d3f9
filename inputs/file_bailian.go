package inputs

import (
	"errors"
	"sort"
	"strconv"
	"time"
)

// TypeBailian is --custom-dataset-type bailian_trace: Alibaba Bailian's Qwen
// serving traces (github.com/alibaba-edu/qwen-bailian-usagetraces-anon).
const TypeBailian = "bailian_trace"

// bailianBlock is the trace's tokens per hash id (salted SipHash blocks of 16).
const bailianBlock = 16

// bailianLine is one bailian_trace line, as AIPerf's BailianTrace model.
type bailianLine struct {
	ChatID       *int64   `json:"chat_id"`
	ParentChatID *int64   `json:"parent_chat_id"` // -1 (the default): a root request
	Timestamp    *float64 `json:"timestamp"`      // seconds
	InputLength  *int     `json:"input_length"`
	OutputLength *int     `json:"output_length"`
	Type         string   `json:"type"` // text, search, image or file: not used
	Turn         *int     `json:"turn"` // 1 by default
	HashIDs      []int    `json:"hash_ids"`
}

// bailian makes a dataset from a Bailian trace as AIPerf's loader does: a line
// belongs to the session of the root its parent_chat_id links lead to, a
// session's lines are its turns in order of turn, and each turn is sent on
// its own (input_length already covers the history). Timestamps are seconds.
// Prompts come from hash_ids in blocks of 16 tokens, then as mooncake_trace.
func (b *builder) bailian(lines []line) (*Dataset, error) {
	bls := make([]bailianLine, len(lines))
	byID := map[int64]int{}
	for i, l := range lines {
		if err := b.decodeLine(l, &bls[i]); err != nil {
			return nil, err
		}
		if err := checkBailian(&bls[i]); err != nil {
			return nil, l.errorf("%v", err)
		}
		byID[*bls[i].ChatID] = i // the last line of a chat_id wins, as AIPerf's lookup
	}
	rows := make([]mooncakeRow, len(lines))
	session := map[int64]int{} // root chat_id -> order of first appearance
	order := make([]int, len(lines))
	roots := bailianRoots(bls, byID)
	for i, bl := range bls {
		root := roots[*bl.ChatID]
		if _, ok := session[root]; !ok {
			session[root] = len(session)
		}
		order[i] = session[root]
		ms := *bl.Timestamp * 1000
		rows[i] = mooncakeRow{l: lines[i], ml: mooncakeLine{
			InputLength: bl.InputLength, HashIDs: bl.HashIDs, OutputLength: bl.OutputLength,
			Timestamp: &ms, SessionID: strconv.FormatInt(root, 10),
		}}
	}
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(x, y int) bool {
		a, c := idx[x], idx[y]
		if order[a] != order[c] {
			return order[a] < order[c]
		}
		return *bls[a].Turn < *bls[c].Turn
	})
	sorted := make([]mooncakeRow, len(rows))
	for i, j := range idx {
		sorted[i] = rows[j]
	}
	b.traceBlock = bailianBlock
	return b.traceRows(sorted)
}

// checkBailian refuses a line without AIPerf's required fields and fills the
// defaults.
func checkBailian(bl *bailianLine) error {
	switch {
	case bl.ChatID == nil:
		return errors.New("chat_id is required")
	case bl.Timestamp == nil:
		return errors.New("timestamp is required")
	case bl.InputLength == nil:
		return errors.New("input_length is required")
	case bl.OutputLength == nil:
		return errors.New("output_length is required")
	}
	if err := checkTime("timestamp", *bl.Timestamp, time.Second); err != nil { // seconds, before they become ms
		return err
	}
	if bl.ParentChatID == nil {
		root := int64(-1)
		bl.ParentChatID = &root
	}
	if bl.Turn == nil {
		one := 1
		bl.Turn = &one
	}
	return nil
}

// bailianRoots maps each chat_id to the root its parent_chat_id links lead
// to: the first line up the chain whose parent is -1 or not in the file, or,
// for a chain that runs into a cycle, the first line of the cycle reached
// (each line of a cycle is its own root). Every line is walked once: a chain
// stops at a line whose root is known, and each line it passed gets that root.
func bailianRoots(bls []bailianLine, byID map[int64]int) map[int64]int64 {
	roots := make(map[int64]int64, len(byID))
	onPath := map[int64]int{} // chat_id -> its place on the chain being walked
	var path []int64
	for id := range byID {
		path = path[:0]
		root := id
		for {
			if r, ok := roots[root]; ok {
				root = r
				break
			}
			if at, ok := onPath[root]; ok { // a cycle: each of its lines is its own root
				for _, c := range path[at:] {
					roots[c] = c
					delete(onPath, c)
				}
				path = path[:at]
				break
			}
			parent := *bls[byID[root]].ParentChatID
			if _, ok := byID[parent]; !ok || parent == -1 || parent == root {
				roots[root] = root
				break
			}
			onPath[root] = len(path)
			path = append(path, root)
			root = parent
		}
		for _, c := range path {
			roots[c] = root
			delete(onPath, c)
		}
	}
	return roots
}
