package metrics

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/aiperf-exporter/aiperf-exporter/internal/clip"
	"github.com/aiperf-exporter/aiperf-exporter/record"
)

// Metric is the run result of one metric. Per-request metrics carry Stats;
// aggregate metrics (Def.Has(AggregateMetric)) carry a single Value.
type Metric struct {
	Def
	Stats Summary
	Value float64
	// Integer marks an aggregate that is a whole count or timestamp (a Python
	// int in AIPerf): Int holds it exactly and the CSV prints it bare.
	Integer bool
	Int     int64
}

// ErrorCount is one row of the error summary: identical errors and how many.
type ErrorCount struct {
	Error record.Error
	Count int
}

// Result is everything the reports show about a run. It is computed from
// records only (no hidden per-run state), so the union of several shard runs
// aggregates exactly like one run.
type Result struct {
	// Metrics by tag; a metric without any value is absent.
	Metrics map[string]Metric
	// Errors is the error summary in the order errors were first seen.
	// A record with no Error but no content response counts in
	// error_request_count yet appears here nowhere (an AIPerf quirk: its summary groups error objects).
	Errors []ErrorCount
	// Valid and Invalid count the aggregated (profiling, in-window) records.
	Valid, Invalid int
	// StartNs and EndNs are the benchmark window over valid records: the
	// earliest request start and the latest last response (wall-clock ns).
	StartNs, EndNs int64
	// FirstStartNs and LastEndNs span every aggregated record, errors included.
	FirstStartNs, LastEndNs int64
	// TokenSource says which counter produced the token counts
	// ("tokenizer", "server", "words"; several joined by "+").
	TokenSource  string
	WasCancelled bool
}

// Get returns the result of tag.
func (r *Result) Get(tag string) (Metric, bool) {
	m, ok := r.Metrics[tag]
	return m, ok
}

// AggregateOptions are the run settings that change the aggregation.
type AggregateOptions struct {
	// Goodput maps a per-request metric tag to its SLO in display units
	// (--goodput "tag:value ..."). Empty: no goodput metrics.
	Goodput map[string]float64
	// Cancelled marks a run stopped early; it is echoed in the result.
	Cancelled bool
	// ScratchDir, when set, is where an Accumulator keeps the inter-chunk
	// latencies (8 bytes per response) in a file of its own instead of memory.
	ScratchDir string
}

// Aggregate computes the run result from records. Warmup records and records
// that ended after the duration's grace period are dropped first. Record order
// does not matter (see Accumulator.Result).
func Aggregate(records []*record.Record, opt AggregateOptions) *Result {
	opt.ScratchDir = "" // in memory: nothing can fail
	a, _ := NewAccumulator(opt)
	for _, r := range records {
		a.Add(r)
	}
	res, _ := a.Result()
	return res
}

// CheckGoodput refuses SLOs on metrics that do not exist in a run with these
// settings, before the run, with AIPerf's message less its "Invalid --goodput: "
// prefix, which the caller's flag error adds (base_metrics_processor.py,
// _configure_goodput); such an SLO could only ever make goodput 0.
func CheckGoodput(slos map[string]float64, streaming bool, endpointType string) error {
	var missing []string
	for tag := range slos {
		if d, ok := Lookup(tag); ok && !Applies(d, streaming, endpointType) {
			missing = append(missing, tag)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	sort.Strings(missing)
	return fmt.Errorf("metric(s) %s are not applicable to the current endpoint/configuration", strings.Join(missing, ", "))
}

// meetsSLOs reports whether a request meets every SLO. A missing metric fails.
func meetsSLOs(m Request, slos map[string]float64) bool {
	for tag, limit := range slos {
		v, ok := m.Get(tag)
		if !ok {
			return false
		}
		d, _ := Lookup(tag)
		if d.Has(LargerIsBetter) {
			if v < limit {
				return false
			}
		} else if v > limit {
			return false
		}
	}
	return true
}

// errorSummary lists each distinct error with its count in the order first
// seen, records taken in end-time order, as AIPerf's records manager does
// (aiperf/records/records_manager.py: a dict in arrival order). Ordering by
// each error's first record, not by arrival here, keeps a merge of shards
// equal to one run.
func errorSummary(errs map[record.Error]*errorSeen) []ErrorCount {
	out := make([]ErrorCount, 0, len(errs))
	firsts := make([]sample, 0, len(errs))
	for e, seen := range errs {
		out = append(out, ErrorCount{Error: e, Count: seen.count})
		firsts = append(firsts, seen.first)
	}
	sort.Sort(byFirst{out, firsts})
	return out
}

// errorSeen counts one distinct error and keeps the key of its first record.
type errorSeen struct {
	count int
	first sample
}

// byFirst sorts error counts by the keys of their first records.
type byFirst struct {
	errs   []ErrorCount
	firsts []sample
}

func (b byFirst) Len() int           { return len(b.errs) }
func (b byFirst) Less(i, j int) bool { return b.firsts[i].before(b.firsts[j]) }
func (b byFirst) Swap(i, j int) {
	b.errs[i], b.errs[j] = b.errs[j], b.errs[i]
	b.firsts[i], b.firsts[j] = b.firsts[j], b.firsts[i]
}

func joinSorted(set map[string]bool) string {
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, "+")
}

// ParseGoodput parses AIPerf's --goodput value, "tag:value tag:value ...",
// into SLOs. Tags must name per-request metrics with one value per request.
func ParseGoodput(s string) (map[string]float64, error) {
	slos := map[string]float64{}
	for _, f := range strings.Fields(s) {
		tag, val, ok := strings.Cut(f, ":")
		if !ok {
			return nil, fmt.Errorf("goodput %s: want tag:value", clip.Quote(f))
		}
		d, known := Lookup(tag)
		if !known {
			return nil, fmt.Errorf("goodput %s: unknown metric %s", clip.Quote(f), clip.Quote(tag))
		}
		if d.Has(AggregateMetric) || d.Has(List) || d.Has(ErrorOnly) {
			return nil, fmt.Errorf("goodput %s: %s is not a per-request metric", clip.Quote(f), tag)
		}
		v, err := strconv.ParseFloat(val, 64)
		var ne *strconv.NumError
		if errors.As(err, &ne) { // its own text would repeat the whole value
			return nil, fmt.Errorf("goodput %s: bad value %s: %w", clip.Quote(f), clip.Quote(val), ne.Err)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) { // a NaN SLO would switch the goal off
			return nil, fmt.Errorf("goodput %s: %g is not a finite number", clip.Quote(f), v)
		}
		slos[tag] = v
	}
	if len(slos) == 0 {
		return nil, fmt.Errorf("goodput %s: no SLO given", clip.Quote(s))
	}
	return slos, nil
}
