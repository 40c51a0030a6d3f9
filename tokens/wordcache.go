package tokens

import (
	"hash/maphash"
	"strings"
	"sync"
)

// cacheCap bounds the word cache (Hugging Face's BPE cache holds 10,000
// words too), so a daemon's memory stays bounded whatever text it counts.
const cacheCap = 10000

// cacheMaxWord is the longest word cached, in bytes (as in Hugging Face):
// a long word is rare and would hold much memory.
const cacheMaxWord = 256

// cacheShards spreads the cache over independently locked maps, so the
// probe's workers, which all count at once, rarely wait on one another.
const cacheShards = 32

// wordCache maps a pre-tokenized word to its token ids. It is safe for
// concurrent use: readers share a shard's read lock. A shard that reaches its
// share of cacheCap is emptied and refills with the words in use now.
type wordCache struct {
	seed   maphash.Seed
	shards [cacheShards]cacheShard
}

type cacheShard struct {
	mu sync.RWMutex
	m  map[string][]int
	_  [32]byte // a shard per 64-byte cache line: no false sharing of locks
}

func newWordCache() *wordCache {
	return &wordCache{seed: maphash.MakeSeed()}
}

func (c *wordCache) shard(word string) *cacheShard {
	return &c.shards[maphash.String(c.seed, word)%cacheShards]
}

// get returns the cached ids of word; the slice is shared: read only.
func (c *wordCache) get(word string) ([]int, bool) {
	s := c.shard(word)
	s.mu.RLock()
	ids, ok := s.m[word]
	s.mu.RUnlock()
	return ids, ok
}

// put caches the ids of word. The word is copied: it is usually a slice of a
// much longer text the cache must not keep alive.
func (c *wordCache) put(word string, ids []int) {
	if len(word) > cacheMaxWord {
		return
	}
	s := c.shard(word)
	s.mu.Lock()
	if s.m == nil || len(s.m) >= cacheCap/cacheShards {
		s.m = make(map[string][]int, cacheCap/cacheShards)
	}
	s.m[strings.Clone(word)] = ids
	s.mu.Unlock()
}

// len returns the number of cached words.
func (c *wordCache) len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.RLock()
		n += len(s.m)
		s.mu.RUnlock()
	}
	return n
}
