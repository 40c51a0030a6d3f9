package tokens

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sugarme/tokenizer"
)

// bpe is Hugging Face's BPE model, written here rather than taken from
// sugarme because sugarme's differs where it matters for exact counts: it
// breaks ties between equal-rank merges in heap order instead of leftmost
// first, ignores ignore_merges (Llama 3) and byte_fallback, and puts
// continuing_subword_prefix on the wrong symbol. It is read-only once built,
// so safe for concurrent use; the word cache is the encoder's (wordcache.go).
type bpe struct {
	vocab        map[string]int
	vocabR       map[int]string
	merges       map[[2]int]mergeVal
	unk          *int // id of unk_token, nil when there is none
	prefix       string
	suffix       string
	fuseUnk      bool
	byteFallback bool
	ignoreMerges bool
}

// mergeVal is a merge's rank (lower applies first) and the id it produces.
type mergeVal struct{ rank, id int }

// droppedID marks a word all of whose characters were dropped.
const droppedID = -1

// bpeConfig is the model section of a tokenizer.json of type BPE.
type bpeConfig struct {
	Type                    string            `json:"type"`
	Dropout                 *float64          `json:"dropout"`
	UnkToken                *string           `json:"unk_token"`
	ContinuingSubwordPrefix *string           `json:"continuing_subword_prefix"`
	EndOfWordSuffix         *string           `json:"end_of_word_suffix"`
	FuseUnk                 bool              `json:"fuse_unk"`
	ByteFallback            bool              `json:"byte_fallback"`
	IgnoreMerges            bool              `json:"ignore_merges"`
	Vocab                   map[string]int    `json:"vocab"`
	Merges                  []json.RawMessage `json:"merges"`
}

// newBPE builds the model from its tokenizer.json section.
func newBPE(raw json.RawMessage) (*bpe, error) {
	var c bpeConfig
	if err := strictDecode(raw, &c); err != nil {
		return nil, fmt.Errorf("model (BPE): %w", err)
	}
	if c.Dropout != nil && *c.Dropout != 0 {
		return nil, errors.New("model.dropout: BPE dropout is random, token counts would not be reproducible")
	}
	if len(c.Vocab) == 0 {
		return nil, errors.New("model.vocab: empty")
	}
	m := &bpe{
		vocab:        c.Vocab,
		vocabR:       make(map[int]string, len(c.Vocab)),
		merges:       make(map[[2]int]mergeVal, len(c.Merges)),
		fuseUnk:      c.FuseUnk,
		byteFallback: c.ByteFallback,
		ignoreMerges: c.IgnoreMerges,
	}
	for tok, id := range c.Vocab {
		m.vocabR[id] = tok
	}
	if c.ContinuingSubwordPrefix != nil {
		m.prefix = *c.ContinuingSubwordPrefix
	}
	if c.EndOfWordSuffix != nil {
		m.suffix = *c.EndOfWordSuffix
	}
	if c.UnkToken != nil {
		id, ok := c.Vocab[*c.UnkToken]
		if !ok {
			return nil, fmt.Errorf("model.unk_token %q is not in the vocab", *c.UnkToken)
		}
		m.unk = &id
	}
	for rank, r := range c.Merges {
		a, b, err := parseMerge(r)
		if err != nil {
			return nil, fmt.Errorf("model.merges[%d]: %w", rank, err)
		}
		ida, oka := c.Vocab[a]
		idb, okb := c.Vocab[b]
		idn, okn := c.Vocab[a+strings.TrimPrefix(b, m.prefix)]
		if !oka || !okb || !okn {
			return nil, fmt.Errorf("model.merges[%d]: %q %q or their merge is not in the vocab", rank, a, b)
		}
		m.merges[[2]int{ida, idb}] = mergeVal{rank: rank, id: idn}
	}
	return m, nil
}

// parseMerge reads a merge written "a b" (older files) or ["a", "b"].
func parseMerge(raw json.RawMessage) (string, string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		a, b, ok := strings.Cut(s, " ")
		if !ok || strings.Contains(b, " ") {
			return "", "", fmt.Errorf("%q is not two tokens separated by a space", s)
		}
		return a, b, nil
	}
	var pair []string
	if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
		return "", "", fmt.Errorf("%s is neither \"a b\" nor [\"a\", \"b\"]", raw)
	}
	return pair[0], pair[1], nil
}

// ids returns the token ids of one pre-tokenized word (the counting path;
// the caller caches them).
func (m *bpe) ids(word string) []int {
	if word == "" {
		return nil
	}
	if m.ignoreMerges {
		if id, ok := m.vocab[word]; ok {
			return []int{id}
		}
	}
	syms := m.merge(word)
	ids := make([]int, len(syms))
	for i, s := range syms {
		ids[i] = s.id
	}
	return ids
}

// Tokenize implements tokenizer.Model for sugarme's pipeline, which HF still
// runs for other model types and the tests run as the reference.
func (m *bpe) Tokenize(word string) ([]tokenizer.Token, error) {
	if word == "" {
		return nil, nil
	}
	if m.ignoreMerges {
		if id, ok := m.vocab[word]; ok {
			return []tokenizer.Token{{Id: id, Value: word, Offsets: []int{0, len(word)}}}, nil
		}
	}
	syms := m.merge(word)
	if len(syms) == 0 {
		// Every character was dropped (not in the vocab, no unk token): Hugging
		// Face yields no token, but sugarme rejects a word without tokens, so
		// it gets a placeholder that HF.pipelineEncode removes.
		return []tokenizer.Token{{Id: droppedID, Offsets: []int{0, len(word)}}}, nil
	}
	toks := make([]tokenizer.Token, len(syms))
	off := 0
	for i, s := range syms {
		toks[i] = tokenizer.Token{Id: s.id, Value: m.vocabR[s.id], Offsets: []int{off, off + s.len}}
		off += s.len
	}
	return toks, nil
}

// symbol is one piece of a word during merging, in a doubly linked list.
type symbol struct {
	id, prev, next, len int
}

// merge splits word into its characters and applies merges lowest rank
// first, leftmost first among equal ranks (Hugging Face's Word::merge_all).
// It returns the symbols left, in order.
func (m *bpe) merge(word string) []symbol {
	syms := make([]symbol, 0, len(word))
	add := func(id, n int) {
		syms = append(syms, symbol{id: id, prev: len(syms) - 1, next: -1, len: n})
		if len(syms) > 1 {
			syms[len(syms)-2].next = len(syms) - 1
		}
	}
	unkID, unkLen, pending := 0, 0, false
	for i := 0; i < len(word); {
		_, size := utf8.DecodeRuneInString(word[i:])
		s := word[i : i+size]
		if i > 0 && m.prefix != "" {
			s = m.prefix + s
		}
		if i+size == len(word) && m.suffix != "" {
			s += m.suffix
		}
		i += size
		if id, ok := m.vocab[s]; ok {
			if pending {
				add(unkID, unkLen)
				pending = false
			}
			add(id, size)
			continue
		}
		if m.byteFallback {
			if ids, ok := m.byteTokens(s); ok {
				for _, id := range ids {
					add(id, 1)
				}
				continue
			}
		}
		if m.unk == nil {
			continue // no unk token: the character is dropped, as in Hugging Face
		}
		switch {
		case pending && m.fuseUnk:
			unkLen += size
		case pending:
			add(unkID, unkLen)
			unkID, unkLen = *m.unk, size
		default:
			unkID, unkLen, pending = *m.unk, size, true
		}
	}
	if pending {
		add(unkID, unkLen)
	}

	var q mergeQueue
	for i := 0; i+1 < len(syms); i++ {
		if v, ok := m.merges[[2]int{syms[i].id, syms[i+1].id}]; ok {
			q.push(pendingMerge{pos: i, mergeVal: v})
		}
	}
	for len(q) > 0 {
		top := q.pop()
		cur := &syms[top.pos]
		if cur.len == 0 || cur.next == -1 {
			continue
		}
		right := syms[cur.next]
		if v, ok := m.merges[[2]int{cur.id, right.id}]; !ok || v.id != top.id {
			continue // stale: one side was merged meanwhile
		}
		syms[cur.next].len = 0
		cur.id, cur.len, cur.next = top.id, cur.len+right.len, right.next
		if right.next >= 0 {
			syms[right.next].prev = top.pos
		}
		if cur.prev >= 0 {
			if v, ok := m.merges[[2]int{syms[cur.prev].id, cur.id}]; ok {
				q.push(pendingMerge{pos: cur.prev, mergeVal: v})
			}
		}
		if cur.next >= 0 {
			if v, ok := m.merges[[2]int{cur.id, syms[cur.next].id}]; ok {
				q.push(pendingMerge{pos: top.pos, mergeVal: v})
			}
		}
	}

	live := syms[:0] // compacted in place: reads stay ahead of writes
	for _, s := range syms {
		if s.len != 0 {
			live = append(live, s)
		}
	}
	return live
}

// byteTokens returns the <0xXX> tokens of s's bytes, if all are in the vocab.
func (m *bpe) byteTokens(s string) ([]int, bool) {
	ids := make([]int, 0, len(s))
	for i := 0; i < len(s); i++ {
		id, ok := m.vocab[fmt.Sprintf("<0x%02X>", s[i])]
		if !ok {
			return nil, false
		}
		ids = append(ids, id)
	}
	return ids, true
}

// pendingMerge is a merge waiting in the queue at symbol pos.
type pendingMerge struct {
	pos int
	mergeVal
}

// before orders the queue: lowest rank first, then leftmost.
func (a pendingMerge) before(b pendingMerge) bool {
	if a.rank != b.rank {
		return a.rank < b.rank
	}
	return a.pos < b.pos
}

// mergeQueue is a binary min-heap of pending merges (typed, so pushes and
// pops do not box).
type mergeQueue []pendingMerge

func (q *mergeQueue) push(x pendingMerge) {
	*q = append(*q, x)
	h := *q
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !h[i].before(h[p]) {
			break
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func (q *mergeQueue) pop() pendingMerge {
	h := *q
	top := h[0]
	n := len(h) - 1
	h[0] = h[n]
	h = h[:n]
	for i := 0; ; {
		l, small := 2*i+1, i
		if l < n && h[l].before(h[small]) {
			small = l
		}
		if r := l + 1; r < n && h[r].before(h[small]) {
			small = r
		}
		if small == i {
			break
		}
		h[i], h[small] = h[small], h[i]
		i = small
	}
	*q = h
	return top
}

// TokenToId implements tokenizer.Model.
func (m *bpe) TokenToId(token string) (int, bool) {
	id, ok := m.vocab[token]
	return id, ok
}

// IdToToken implements tokenizer.Model.
func (m *bpe) IdToToken(id int) (string, bool) {
	t, ok := m.vocabR[id]
	return t, ok
}

// GetVocab implements tokenizer.Model.
func (m *bpe) GetVocab() map[string]int { return m.vocab }

// GetVocabSize implements tokenizer.Model.
func (m *bpe) GetVocabSize() int { return len(m.vocab) }

// Save implements tokenizer.Model; the exporter never writes tokenizers.
func (m *bpe) Save(string, ...string) error {
	return errors.New("tokens: saving a BPE model is not supported")
}
