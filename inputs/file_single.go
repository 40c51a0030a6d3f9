package inputs

// singleTurn makes one conversation per line.
func (b *builder) singleTurn(lines []line, m *media) (*Dataset, error) {
	d := &Dataset{}
	for _, l := range lines {
		var lt lineTurn
		if err := b.decodeLine(l, &lt); err != nil {
			return nil, err
		}
		ts, err := b.lineSpec(lt, m)
		if err != nil {
			return nil, l.errorf("%v", err)
		}
		d.Conversations = append(d.Conversations, Conversation{ID: sessionID(b.rng), Turns: []Turn{b.turn(ts)}})
	}
	return d, fixedSchedule(d, lines)
}

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
			ts.history = history
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
