package inputs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// poolEntries decodes random_pool lines: single_turn fields without timing.
func (b *builder) poolEntries(lines []line, m *media) ([]turnSpec, error) {
	pool := make([]turnSpec, 0, len(lines))
	for _, l := range lines {
		var lt lineTurn
		if err := b.decodeLine(l, &lt); err != nil {
			return nil, err
		}
		if lt.Timestamp != nil || lt.Delay != nil {
			return nil, l.errorf("random_pool entries cannot have a timestamp or delay")
		}
		if lt.SessionID != "" || lt.ImageUUIDs != nil {
			return nil, l.errorf("random_pool entries have no session_id or image_uuids (single_turn lines do)")
		}
		ts, err := b.spec(lt, m)
		if err == nil && ts.msg.ImageUUIDs != nil {
			err = errors.New("images: random_pool entries have no uuids (single_turn lines do)")
		}
		if err == nil && lt.OutputLength != nil {
			ts.maxTokens, err = b.outputLength(lt.OutputLength)
		}
		if err != nil {
			return nil, l.errorf("%v", err)
		}
		pool = append(pool, ts)
	}
	return pool, nil
}

// loadPoolDir reads every regular, non-hidden file of dir as one pool, in name order.
func (b *builder) loadPoolDir(r *inputReader, dir string) (*Dataset, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("--input-file: %w", err)
	}
	var names []string
	for _, e := range ents {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("--input-file: directory %s holds no pool files", dir)
	}
	m := newMedia(dir, r)
	var pools [][]turnSpec
	for _, n := range names {
		p := filepath.Join(dir, n)
		data, err := r.read(p)
		if err != nil {
			return nil, err
		}
		lines, err := splitLines(p, data)
		if err != nil {
			return nil, err
		}
		for _, l := range lines {
			if err := checkKind(l, TypeRandomPool); err != nil {
				return nil, err
			}
		}
		pool, err := b.poolEntries(lines, m)
		if err != nil {
			return nil, err
		}
		pools = append(pools, pool)
	}
	return b.randomPool(pools)
}

// randomPool makes --num-dataset-entries one-turn conversations; each turn
// merges one entry drawn (with replacement) from every pool.
func (b *builder) randomPool(pools [][]turnSpec) (*Dataset, error) {
	d := &Dataset{Conversations: make([]Conversation, b.o.NumDatasetEntries)}
	for i := range d.Conversations {
		if err := b.stopped(); err != nil {
			return nil, err
		}
		id := sessionID(b.rng)
		var ts turnSpec
		ts.msg.Role = "user"
		for _, p := range pools {
			e := p[b.rng.Intn(len(p))]
			ts.msg.Texts = append(ts.msg.Texts, e.msg.Texts...)
			ts.msg.Images = append(ts.msg.Images, e.msg.Images...)
			ts.msg.Audios = append(ts.msg.Audios, e.msg.Audios...)
			ts.msg.Videos = append(ts.msg.Videos, e.msg.Videos...)
			if e.msg.Role != "user" {
				ts.msg.Role = e.msg.Role
			}
			if e.maxTokens > 0 {
				ts.maxTokens = e.maxTokens
			}
			for _, f := range e.extra {
				ts.extra = setField(ts.extra, f)
			}
		}
		if ts.maxTokens == 0 {
			ts.maxTokens = b.outputTokens()
		}
		d.Conversations[i] = Conversation{ID: id, Turns: []Turn{b.turn(ts)}}
	}
	return d, nil
}
