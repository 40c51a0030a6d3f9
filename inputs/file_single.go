package inputs

import "github.com/aiperf-exporter/aiperf-exporter/options"

// singleTurn makes one conversation per line, or per session_id: lines that
// share one are the turns of one conversation, in file order, each sent on
// its own (no history), as AIPerf's single_turn loader groups them. With
// --uuid-and-strip an image a session already sent goes by its uuid only.
func (b *builder) singleTurn(lines []line, m *media) (*Dataset, error) {
	d := &Dataset{}
	var sessions sessionGroups
	seen := map[string]map[string]bool{}
	for _, l := range lines {
		var lt lineTurn
		if err := b.decodeLine(l, &lt); err != nil {
			return nil, err
		}
		if b.o.UUIDAndStrip && lt.SessionID != "" { // a line without one is a session of its own
			if err := lt.normalizeImageUUIDs(); err != nil {
				return nil, l.errorf("%v", err)
			}
			if seen[lt.SessionID] == nil {
				seen[lt.SessionID] = map[string]bool{}
			}
			lt.stripSeen(seen[lt.SessionID])
		}
		ts, err := b.lineSpec(lt, m)
		if err != nil {
			return nil, l.errorf("%v", err)
		}
		ts.from = l.where()
		i := sessions.conversation(b, d, lt.SessionID, l)
		d.Conversations[i].Turns = append(d.Conversations[i].Turns, b.turn(ts))
	}
	return d, fixedSchedule(d, sessions.first)
}

// sessionGroups gathers the lines of a file that share a session_id into one
// conversation, in order of first appearance; a line without one is a
// conversation of its own with a generated id.
type sessionGroups struct {
	index map[string]int // session_id -> conversation
	first []line         // first[i] is conversation i's first line
}

// conversation returns the index in d of line l's conversation, adding it.
func (g *sessionGroups) conversation(b *builder, d *Dataset, id string, l line) int {
	if i, ok := g.index[id]; ok && id != "" {
		return i
	}
	i := len(d.Conversations)
	if id == "" {
		id = sessionID(b.rng)
	} else {
		if g.index == nil {
			g.index = map[string]int{}
		}
		g.index[id] = i
	}
	d.Conversations = append(d.Conversations, Conversation{ID: id})
	g.first = append(g.first, l)
	return i
}

// errUUIDMultiTurn is AIPerf's refusal of --uuid-and-strip with multi_turn files.
var errUUIDMultiTurn = &options.Error{Flag: "uuid-and-strip", Msg: "not supported with multi_turn input files (images are stripped only across single_turn lines of one session_id), as AIPerf"}

// multiTurn makes one conversation per line; each turn resends the earlier
// user turns of its conversation before its own message.
func (b *builder) multiTurn(lines []line, m *media) (*Dataset, error) {
	d := &Dataset{}
	for _, l := range lines {
		var ml multiTurnLine
		if err := b.decodeLine(l, &ml); err != nil {
			return nil, err
		}
		if len(ml.Turns) == 0 {
			return nil, l.errorf("turns is empty")
		}
		c := Conversation{ID: ml.SessionID}
		if c.ID == "" {
			c.ID = sessionID(b.rng)
		}
		var history []message
		for i, lt := range ml.Turns {
			ts, err := b.lineSpec(lt, m)
			if err != nil {
				return nil, l.errorf("turn %d: %v", i+1, err)
			}
			ts.history, ts.from = history, l.where()
			c.Turns = append(c.Turns, b.turn(ts))
			history = append(history[:len(history):len(history)], ts.msg)
		}
		d.Conversations = append(d.Conversations, c)
	}
	return d, fixedSchedule(d, lines)
}

// fixedSchedule turns the fixed schedule on when any turn has a timestamp; then
// every conversation must start with one. lines[i] is conversation i's line.
func fixedSchedule(d *Dataset, lines []line) error {
	for _, c := range d.Conversations {
		for _, t := range c.Turns {
			d.FixedSchedule = d.FixedSchedule || t.HasTimestamp
		}
	}
	if !d.FixedSchedule {
		return nil
	}
	for i, c := range d.Conversations {
		if !c.Turns[0].HasTimestamp {
			return lines[i].errorf("no timestamp, but other lines have one (a fixed schedule needs one on every line's first turn)")
		}
	}
	return nil
}
