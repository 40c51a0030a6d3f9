package probe

import "github.com/aiperf-exporter/aiperf-exporter/options"

// Dataset sampling strategies (--dataset-sampling-strategy), as AIPerf's.
const (
	SamplingSequential = "sequential" // dataset order, wrapping
	SamplingRandom     = "random"     // uniform, with replacement
	SamplingShuffle    = "shuffle"    // a fresh permutation each pass
)

// firstOrder is the order of the first pass over n conversations: the
// dataset's own for sequential, else a shuffle (unset: that one shuffle is
// cycled for the whole run).
func (e *engine) firstOrder(n int) []int {
	if e.cfg.Sampling == SamplingSequential {
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		return order
	}
	return e.rng.Perm(n)
}

// nextIndex is the index of the next conversation to send. The caller holds rngMu.
func (e *engine) nextIndex() int {
	if e.cfg.Sampling == SamplingRandom {
		return e.rng.IntN(len(e.order))
	}
	i := e.order[e.next]
	e.next = (e.next + 1) % len(e.order)
	if e.next == 0 && e.cfg.Sampling == SamplingShuffle {
		e.order = e.rng.Perm(len(e.order))
	}
	return i
}

// samplingOf is --dataset-sampling-strategy; unset with --public-dataset it
// is sequential, the strategy every AIPerf public dataset loader prefers
// (get_preferred_sampling_strategy), so a run walks the dataset in its order.
func samplingOf(o *options.Options) string {
	if o.DatasetSamplingStrategy == "" && o.PublicDataset != "" {
		return SamplingSequential
	}
	return o.DatasetSamplingStrategy
}
