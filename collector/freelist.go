package collector

// freeList keeps up to cap(free) idle values for reuse. Unlike sync.Pool it
// keeps them across garbage collections: sync.Pool drops its content within
// two GC cycles, and a scrape then rebuilds its gzip writer (about 800 KB of
// tables, half a millisecond) and regrows its buffers every few scrapes.
type freeList[T any] struct {
	free  chan T
	fresh func() T
}

func newFreeList[T any](size int, fresh func() T) *freeList[T] {
	return &freeList[T]{free: make(chan T, size), fresh: fresh}
}

// get returns an idle value, or a new one when none is idle.
func (f *freeList[T]) get() T {
	select {
	case v := <-f.free:
		return v
	default:
		return f.fresh()
	}
}

// put makes v idle again; beyond the list's size it is left to the collector.
func (f *freeList[T]) put(v T) {
	select {
	case f.free <- v:
	default:
	}
}
