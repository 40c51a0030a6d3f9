package metrics

import "math"

// span is a run of consecutive values of a store: one record's values.
type span struct{ off, n int }

// inMemoryValues is how many values summarizeStore summarises in memory
// (512 KiB) rather than by passes over the store.
var inMemoryValues = 1 << 16 // a var for the tests of both paths

// summarizeStore is Summarize over the values of spans, in that order, read
// from vs a block at a time: the same numbers to the last bit without holding
// them. Sums follow numpy's pairwise order over the sequence; percentiles
// come from an exact radix selection over the store (order does not matter).
func summarizeStore(vs values, spans []span) (Summary, error) {
	n := 0
	for _, s := range spans {
		n += s.n
	}
	if n == 0 {
		return Summary{}, nil
	}
	if n <= inMemoryValues { // a short run or one time slice: four passes over 2^16 counts would cost more
		column := make([]float64, n)
		seq := newSeqReader(vs, spans)
		for i := range column {
			column[i] = seq.next()
		}
		if seq.err != nil {
			return Summary{}, seq.err
		}
		return Summarize(column), nil
	}
	s := Summary{Count: n}
	seq := newSeqReader(vs, spans)
	sum := pairwiseNext(n, func() float64 {
		x := seq.next()
		s.Sum += x
		return x
	})
	if seq.err != nil {
		return Summary{}, seq.err
	}
	s.Avg = sum / float64(n)
	seq = newSeqReader(vs, spans)
	dev := pairwiseNext(n, func() float64 {
		d := seq.next() - s.Avg
		return d * d
	})
	if seq.err != nil {
		return Summary{}, seq.err
	}
	s.Std = math.Sqrt(dev / float64(n))

	var ranks []int
	for _, q := range Percentiles {
		i, j, _ := percentileRanks(n, float64(q))
		ranks = append(ranks, i, j)
	}
	ranks = append(ranks, 0, n-1)
	at, err := selectRanks(vs, ranks)
	if err != nil {
		return Summary{}, err
	}
	s.Min, s.Max = at[0], at[n-1]
	fields := [...]*float64{&s.P1, &s.P5, &s.P10, &s.P25, &s.P50, &s.P75, &s.P90, &s.P95, &s.P99} // Percentiles' order
	for k, q := range Percentiles {
		i, j, gamma := percentileRanks(n, float64(q))
		*fields[k] = lerp(at[i], at[j], gamma)
	}
	return s, nil
}

// pairwiseNext is pairwiseSum over the next n values of next: the same
// recursion, which consumes its input left to right.
func pairwiseNext(n int, next func() float64) float64 {
	switch {
	case n < 8:
		res := 0.0
		for i := 0; i < n; i++ {
			res += next()
		}
		return res
	case n <= 128:
		var r [8]float64
		for k := range r {
			r[k] = next()
		}
		i := 8
		for ; i < n-n%8; i += 8 {
			for k := 0; k < 8; k++ {
				r[k] += next()
			}
		}
		res := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			res += next()
		}
		return res
	default:
		n2 := n / 2
		n2 -= n2 % 8
		left := pairwiseNext(n2, next)
		return left + pairwiseNext(n-n2, next)
	}
}

// seqReader reads the values of spans in order, a block at a time.
type seqReader struct {
	vs    values
	spans []span
	buf   []float64
	pos   int
	err   error
}

func newSeqReader(vs values, spans []span) *seqReader {
	return &seqReader{vs: vs, spans: spans}
}

func (r *seqReader) next() float64 {
	for r.pos == len(r.buf) {
		if len(r.spans) == 0 || r.err != nil {
			return 0
		}
		// Adjacent spans are read in one go.
		off, n := r.spans[0].off, 0
		for len(r.spans) > 0 && r.spans[0].off == off+n && n < 1<<16 {
			n += r.spans[0].n
			r.spans = r.spans[1:]
		}
		r.buf = r.buf[:0]
		if cap(r.buf) < n {
			r.buf = make([]float64, 0, n)
		}
		r.buf = r.buf[:n]
		r.pos = 0
		r.err = r.vs.read(r.buf, off)
	}
	x := r.buf[r.pos]
	r.pos++
	return x
}

// sortKey maps a float64 to a uint64 that sorts in the same order.
func sortKey(x float64) uint64 {
	b := math.Float64bits(x)
	if b>>63 == 1 {
		return ^b
	}
	return b | 1<<63
}

func fromSortKey(k uint64) float64 {
	if k>>63 == 1 {
		return math.Float64frombits(k &^ (1 << 63))
	}
	return math.Float64frombits(^k)
}

// selectRanks returns the values at ranks (0-based, in sorted order) of the
// store, exactly, with four passes over it: each pass fixes 16 more bits of
// each wanted value's sort key by counting the values under its prefix.
func selectRanks(vs values, ranks []int) (map[int]float64, error) {
	type want struct {
		prefix uint64 // the key's bits fixed so far
		rem    int    // rank among the values with that prefix
	}
	ws := make([]want, len(ranks))
	for i, r := range ranks {
		ws[i].rem = r
	}
	buf := make([]float64, 0, 1<<14)
	for pass := 0; pass < 4; pass++ {
		shift := uint(48 - 16*pass)
		hists := map[uint64][]uint32{} // prefix -> counts of the next 16 bits
		for _, w := range ws {
			if hists[w.prefix] == nil {
				hists[w.prefix] = make([]uint32, 1<<16)
			}
		}
		for off := 0; off < vs.len(); off += len(buf) {
			buf = buf[:min(cap(buf), vs.len()-off)]
			if err := vs.read(buf, off); err != nil {
				return nil, err
			}
			for _, x := range buf {
				k := sortKey(x)
				var prefix uint64
				if pass > 0 {
					prefix = k >> (shift + 16)
				}
				if h := hists[prefix]; h != nil {
					h[(k>>shift)&0xffff]++
				}
			}
		}
		for i, w := range ws {
			h := hists[w.prefix]
			d, cum := 0, 0
			for ; d < 1<<16; d++ {
				if w.rem < cum+int(h[d]) {
					break
				}
				cum += int(h[d])
			}
			ws[i] = want{prefix: w.prefix<<16 | uint64(d), rem: w.rem - cum}
		}
	}
	out := make(map[int]float64, len(ranks))
	for i, r := range ranks {
		out[r] = fromSortKey(ws[i].prefix)
	}
	return out, nil
}
