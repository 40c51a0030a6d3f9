package metrics

import (
	"hash/fnv"
	"math/bits"
	"sort"

	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// perRequest are the tags of the per-request metrics with one value per
// record; a sample's mask has bit i set when it has perRequest[i].
var perRequest = func() []string {
	var tags []string
	for _, d := range Defs {
		if !d.Has(AggregateMetric) && !d.Has(List) {
			tags = append(tags, d.Tag)
		}
	}
	return tags
}()

// sample is what an Accumulator keeps of one record besides its values: the
// key that orders records (end, start, then a hash of the request ID) and
// which values it has. 32 bytes, whatever the response's length.
type sample struct {
	end, start int64
	tie        uint64
	mask       uint32 // bit i: has perRequest[i]
	icl        uint32 // how many inter-chunk latencies
}

// before orders records: by end, then start, then the request ID's hash.
func (x sample) before(y sample) bool {
	if x.end != y.end {
		return x.end < y.end
	}
	if x.start != y.start {
		return x.start < y.start
	}
	return x.tie < y.tie
}

// Accumulator aggregates records one at a time. Of each it keeps its
// per-request metric values and a 32-byte sample (about 130 bytes for a
// streamed chat request), never its response stamps, so that `profile` need
// not hold its records. The inter-chunk latencies, one per response, go to a
// scratch file with AggregateOptions.ScratchDir. Result equals Aggregate over
// the same records, in any order.
type Accumulator struct {
	opt     AggregateOptions
	res     Result
	samples Chunks[sample]
	values  Chunks[float64] // each sample's values, in perRequest order
	icl     values          // each sample's inter-chunk latencies

	errs                             map[record.Error]*errorSeen
	sources                          map[string]bool
	isl, errISL, osl, out, reasoning runSum
	good                             int
}

// runSum is the run's total of one per-request value; seen says whether any
// record had the value, as a run without it writes no total.
type runSum struct {
	sum  float64
	seen bool
}

// add counts v when the record has it (ok), as Request.Get returns it.
func (s *runSum) add(v float64, ok bool) {
	if ok {
		s.sum += v
		s.seen = true
	}
}

// NewAccumulator returns an empty accumulator; Close releases it.
func NewAccumulator(opt AggregateOptions) (*Accumulator, error) {
	a := &Accumulator{opt: opt, errs: map[record.Error]*errorSeen{}, sources: map[string]bool{}, icl: &memValues{}}
	if opt.ScratchDir != "" {
		f, err := newFileValues(opt.ScratchDir)
		if err != nil {
			return nil, err
		}
		a.icl = f
	}
	return a, nil
}

// Close removes the scratch file, if any.
func (a *Accumulator) Close() error { return a.icl.close() }

// Add counts r. Warmup records and records that ended after the duration's
// grace period are dropped, as Aggregate drops them.
func (a *Accumulator) Add(r *record.Record) { a.AddMetrics(r, ForRecord(r)) }

// AddMetrics is Add with r's metrics already derived (ForRecord), so a
// caller that hands one record to several consumers derives them once.
func (a *Accumulator) AddMetrics(r *record.Record, m Request) {
	if !r.Counted() {
		return
	}
	s := sample{end: r.StartNs + int64(r.EndOffset), start: r.StartNs, tie: hashID(r.RequestID), icl: uint32(len(m.ICL))}
	for i, tag := range perRequest {
		if v, ok := m.Values[tag]; ok {
			s.mask |= 1 << i
			a.values.Add(v)
		}
	}
	for _, v := range m.ICL {
		a.icl.add(v)
	}
	a.samples.Add(s)

	if r.TokenSource != "" {
		a.sources[r.TokenSource] = true
	}
	end := r.StartNs + int64(r.EndOffset)
	if r.Valid() {
		end = r.StartNs + int64(r.Responses[len(r.Responses)-1].Offset)
	}
	res := &a.res
	// A start of 0 (or less) is no time at all: such a record counts but
	// stays out of the window, as do records without a request latency.
	inWindow := r.StartNs > 0
	if inWindow && (res.FirstStartNs == 0 || r.StartNs < res.FirstStartNs) {
		res.FirstStartNs = r.StartNs
	}
	if inWindow && end > res.LastEndNs {
		res.LastEndNs = end
	}
	if !r.Valid() {
		res.Invalid++
		a.errISL.add(m.Get(ErrorISL))
		if r.Error != nil {
			if seen := a.errs[*r.Error]; seen != nil {
				seen.count++
				if s.before(seen.first) {
					seen.first = s
				}
			} else {
				a.errs[*r.Error] = &errorSeen{count: 1, first: s}
			}
		}
		return
	}
	res.Valid++
	if _, ok := m.Get(RequestLatency); ok && inWindow {
		if res.StartNs == 0 || r.StartNs < res.StartNs {
			res.StartNs = r.StartNs
		}
		if end > res.EndNs {
			res.EndNs = end
		}
	}
	a.isl.add(m.Get(ISL))
	a.osl.add(m.Get(OSL))
	a.out.add(m.Get(OutputTokenCount))
	a.reasoning.add(m.Get(ReasoningTokenCount))
	if len(a.opt.Goodput) > 0 && meetsSLOs(m, a.opt.Goodput) {
		a.good++
	}
}

// Count is how many records were added (warmup and late ones left out).
func (a *Accumulator) Count() int { return a.samples.Len() }

// Result computes the run result of the records added so far. Values are
// gathered in a deterministic record order (by end time, then start time,
// then request ID hash), so that merged shards sum exactly like one run.
// It fails only when the scratch file cannot be read.
func (a *Accumulator) Result() (*Result, error) {
	res := a.res
	res.Metrics = map[string]Metric{}
	res.WasCancelled = a.opt.Cancelled

	// The samples in order, and where each one's values start: 12 bytes a
	// record for the time of Result; each column is gathered and summarised
	// in turn, so one column at a time is in memory.
	n := a.samples.Len()
	order := make([]int32, n)
	valueAt := make([]int, n)
	for i, v := 0, 0; i < n; i++ {
		order[i], valueAt[i] = int32(i), v
		v += bits.OnesCount32(a.samples.At(i).mask)
	}
	sort.Slice(order, func(i, j int) bool {
		return a.samples.At(int(order[i])).before(a.samples.At(int(order[j])))
	})
	var column []float64
	for k, tag := range perRequest {
		bit := uint32(1) << k
		column = column[:0]
		for _, i := range order {
			if m := a.samples.At(int(i)).mask; m&bit != 0 {
				column = append(column, a.values.At(valueAt[i]+bits.OnesCount32(m&(bit-1))))
			}
		}
		if len(column) > 0 {
			d, _ := Lookup(tag)
			res.Metrics[tag] = Metric{Def: d, Stats: Summarize(column)}
		}
	}
	column, valueAt = nil, nil // freed before the inter-chunk latencies are read

	iclAt := make([]int, n)
	for i, c := 0, 0; i < n; i++ {
		iclAt[i] = c
		c += int(a.samples.At(i).icl)
	}
	var icl []span
	for _, i := range order {
		if s := a.samples.At(int(i)); s.icl > 0 {
			icl = append(icl, span{iclAt[i], int(s.icl)})
		}
	}
	iclAt = nil
	if len(icl) > 0 {
		st, err := summarizeStore(a.icl, icl)
		if err != nil {
			return nil, err
		}
		d, _ := Lookup(ICL)
		res.Metrics[ICL] = Metric{Def: d, Stats: st}
	}
	a.aggregates(&res)
	res.Errors = errorSummary(a.errs)
	res.TokenSource = joinSorted(a.sources)
	return &res, nil
}

// aggregates sets the one-value metrics of res.
func (a *Accumulator) aggregates(res *Result) {
	set := func(tag string, v float64, integer bool) {
		d, _ := Lookup(tag)
		res.Metrics[tag] = Metric{Def: d, Value: v, Integer: integer, Int: int64(v)}
	}
	setSum := func(tag string, s runSum) {
		if s.seen {
			set(tag, s.sum, true)
		}
	}
	setInt := func(tag string, v int64) {
		d, _ := Lookup(tag)
		res.Metrics[tag] = Metric{Def: d, Value: float64(v), Integer: true, Int: v}
	}
	if res.Invalid > 0 {
		set(ErrorRequestCount, float64(res.Invalid), true)
		setSum(TotalErrorISL, a.errISL)
	}
	if res.Valid == 0 {
		return
	}
	set(RequestCount, float64(res.Valid), true)
	setSum(TotalISL, a.isl)
	setSum(TotalOSL, a.osl)
	setSum(TotalOutputTokens, a.out)
	setSum(TotalReasoningTokens, a.reasoning)
	setInt(MinRequestTimestamp, res.StartNs)
	setInt(MaxResponseTimestamp, res.EndNs)
	dur := float64(res.EndNs-res.StartNs) / 1e9
	set(BenchmarkDuration, dur, false)
	if dur > 0 {
		if a.osl.seen {
			set(OutputTokenThroughput, a.osl.sum/dur, false)
		}
		set(RequestThroughput, float64(res.Valid)/dur, false)
	}
	if len(a.opt.Goodput) > 0 {
		set(GoodRequestCount, float64(a.good), true)
		if dur > 0 {
			set(Goodput, float64(a.good)/dur, false)
		}
	}
}

func hashID(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()
}

// chunkLen is the length of one block of a Chunks list; the first block
// starts at firstChunkLen and doubles up to it.
const (
	chunkLen      = 4096
	firstChunkLen = 16
)

// Chunks is an append-only list kept in fixed blocks: growing it never
// copies it (but for its first block, while it is short), nor leaves half of
// a doubled slice unused, so what a long run keeps costs what it holds, and
// a short list (one time slice of a run) costs little.
type Chunks[T any] struct {
	blocks [][]T
	n      int
}

// Add appends v.
func (c *Chunks[T]) Add(v T) {
	if c.n%chunkLen == 0 {
		n := chunkLen
		if c.n == 0 {
			n = firstChunkLen
		}
		c.blocks = append(c.blocks, make([]T, 0, n))
	}
	b := &c.blocks[len(c.blocks)-1]
	if len(*b) == cap(*b) { // the first block, doubling up to chunkLen
		grown := make([]T, len(*b), 2*cap(*b))
		copy(grown, *b)
		*b = grown
	}
	*b = append(*b, v)
	c.n++
}

// At returns the i-th value.
func (c *Chunks[T]) At(i int) T { return c.blocks[i/chunkLen][i%chunkLen] }

// Len is the number of values.
func (c *Chunks[T]) Len() int { return c.n }

// Slice copies the values into one slice.
func (c *Chunks[T]) Slice() []T {
	out := make([]T, 0, c.n)
	for _, b := range c.blocks {
		out = append(out, b...)
	}
	return out
}
