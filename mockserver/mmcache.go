package mockserver

import (
	"sync"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
)

// maxMMCache bounds the uuids the mock remembers; past it, it forgets them
// all, as a full cache evicts (a later reference then fails, as on vLLM).
const maxMMCache = 1 << 16

// mmCache is vLLM's multimodal cache as the mock keeps it: the uuids of
// images sent with their bytes. An image part with an empty url must name
// one of them, or the request fails with 400, as vLLM refuses a reference
// to an image it has not cached.
type mmCache struct {
	mu  sync.Mutex
	ids map[string]struct{}
}

// use checks a request's cached-image references, then remembers the
// uuids it sent with bytes (a request may send an image and refer to it).
func (c *mmCache) use(sent, refs []string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids == nil || len(c.ids)+len(sent) > maxMMCache {
		c.ids = map[string]struct{}{}
	}
	for _, id := range sent {
		c.ids[id] = struct{}{}
	}
	for _, id := range refs {
		if _, ok := c.ids[id]; !ok {
			return invalid("image uuid %s: no url and not in the multimodal cache", clip.Quote(id))
		}
	}
	return nil
}
